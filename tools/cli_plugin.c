/*
 * cli_plugin.c - the habits of Monitoring Plugins users, for the check_*
 * names above all: -H HOST -p PORT as they type them, --sni as a flag,
 * and every failure as one "SERVICE UNKNOWN - ..." line on stdout,
 * because Nagios and Icinga show stdout only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What Nagios reads whole of the first line (as lib/fmt_nagios.c). */
#define PLUGIN_LINE_MAX 4096

const char *
cli_service(const char *tool)
{
	static const char *const map[][2] = {
		{"certcheck", "CERT"}, {"caacheck", "CAA"},
		{"http01check", "HTTP01"}, {"dns01check", "DNS01"},
		{"tlsalpn01check", "TLSALPN01"}
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(tool, map[i][0]) == 0)
			return map[i][1];
	return "CERTDIAG";
}

void
cli_plugin_prescan(struct cli *c, int argc, char **argv)
{
	enum cd_format f;
	struct cd_err e;
	const char *v;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		v = NULL;
		if (strcmp(argv[i], "--nagios") == 0)
			c->format = CD_FMT_NAGIOS;
		else if (strcmp(argv[i], "--json") == 0)
			c->format = CD_FMT_JSON;
		else if (strncmp(argv[i], "--format=", 9) == 0)
			v = argv[i] + 9;
		else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2] != '\0')
			v = argv[i] + 2;
		else if ((strcmp(argv[i], "--format") == 0 ||
		    strcmp(argv[i], "-o") == 0) && i + 1 < argc)
			v = argv[++i];
		/* A bad name is reported by the real parse. */
		if (v != NULL && cd_format_parse(v, &f, &e) == CD_OK)
			c->format = f;
	}
}

/* The tool's own --sni takes a value (certcheck's NAME). */
static bool
sni_takes_value(const struct cli *c)
{
	const struct cli_opt *t;

	for (t = c->opts; t->name; t++)
		if (strcmp(t->name, "sni") == 0)
			return t->arg != CLI_NONE;
	return false;
}

/*
 * "--sni" followed by nothing or by another option is the Monitoring
 * Plugins flag; followed by a word, it is that word as the NAME, as
 * before.  "--sni=" is left for the tool to refuse.
 */
void
cli_plugin_sni_flag(const struct cli *c, int *argc, char **argv)
{
	int i;

	if (!sni_takes_value(c))
		return;
	for (i = 1; i < *argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--sni") != 0)
			continue;
		if (i + 1 < *argc && (argv[i + 1][0] != '-' ||
		    strcmp(argv[i + 1], "-") == 0)) {
			i++;
			continue;
		}
		memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) *
		    sizeof(*argv));
		(*argc)--;
		i--;
	}
}

void
cli_plugin_finish(struct cli *c)
{
	const char *h = c->host, *colon;
	char *t = NULL;

	if (c->port != 0 && h == NULL)
		cli_usage_error(c, "-p goes with -H HOST (or give the "
		    "TARGET as host:port)");
	if (h == NULL)
		return;
	if (*h == '\0')
		cli_usage_error(c, "-H: want a host name or address");
	if (c->port == 0) {
		cli_add_target(c, h);
		return;
	}
	colon = strchr(h, ':');
	/* One colon is host:port already; more are an IPv6 address. */
	if (strstr(h, "://") != NULL || *h == '[' ||
	    (colon != NULL && strchr(colon + 1, ':') == NULL))
		cli_usage_error(c, "-H '%s' with -p: give the host alone", h);
	if (asprintf(&t, colon ? "[%s]:%u" : "%s:%u", h, c->port) < 0)
		cli_usage_error(c, "out of memory");
	cli_add_target(c, t);
	free(t);
}

const char *
cli_plugin_why(const struct cli *c, int ch)
{
	bool dns = strcmp(c->tool, "caacheck") == 0 ||
	    strcmp(c->tool, "dns01check") == 0;

	if (dns && (ch == 'p' || ch == 'I'))
		return ch == 'p' ? "-p: no port to set: this check asks DNS "
		    "only (see its manual)" : "-I: no address to connect "
		    "to: this check asks DNS only (--dns-server names the "
		    "resolver)";
	if (ch == 'I')
		return "-I: the CA connects to the addresses DNS gives for "
		    "the name, so this check does too (--dns-server or "
		    "--root-hints steer them; see its manual)";
	return NULL;
}

/* Where to cut escaped text: not inside UTF-8, nor inside "\xHH". */
static size_t
cut_at(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max, i;

	if (n == len)
		return n;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	for (i = n >= 3 ? n - 3 : 0; i < n; i++)
		if (s[i] == '\\') {
			n = i;
			break;
		}
	return n;
}

void
cli_plugin_unknown(const struct cli *c, const char *msg)
{
	char pre[64];
	char *m = strdup(msg), *p;
	const char *s = m ? m : "out of memory";
	size_t room, len = strlen(s), n;

	/* '|' would start perfdata; the message is one line. */
	for (p = m; p && *p; p++)
		if (*p == '|')
			*p = '/';
		else if (*p == '\n' || *p == '\r')
			*p = ' ';
	snprintf(pre, sizeof(pre), "%s UNKNOWN - ", c->service ?
	    c->service : cli_service(c->tool));
	room = PLUGIN_LINE_MAX - strlen(pre);
	fputs(pre, stdout);
	if (len <= room) {
		fputs(s, stdout);
	} else {
		n = cut_at(s, len, room - 3);
		fwrite(s, 1, n, stdout);
		fputs("...", stdout);
	}
	fputc('\n', stdout);
	fflush(stdout);
	free(m);
}

/*
 * -v, -vv, -vvv, as the help says: once, every detail field in text (in
 * the nagios format, whose long text has only the problems, the text
 * report below them); twice, also the report as JSON, every field the
 * check recorded; three times, also a line on stderr as each target is
 * done.  JSON output has every field already.
 */
bool
cli_verbose_extra(const struct cli *c, const struct cd_report *r)
{
	unsigned flags = c->fmt_flags & ~(unsigned)CD_FMT_COLOR;
	struct cd_err e;

	if (c->verbose >= 1 && c->format == CD_FMT_NAGIOS &&
	    cd_fmt_write_one(CD_FMT_TEXT, r, stdout, flags, &e) != CD_OK)
		return false;
	/* Anything more in a metrics file would break it. */
	if (c->format == CD_FMT_PROMETHEUS)
		return true;
	if (c->verbose >= 2 && c->format != CD_FMT_JSON &&
	    cd_fmt_write_one(CD_FMT_JSON, r, stdout, 0, &e) != CD_OK)
		return false;
	return true;
}

void
cli_verbose_trace(const struct cli *c, size_t done, const struct cd_report *r)
{
	const struct cd_report *const one[1] = {r};

	if (c->verbose >= 3)
		cli_say(c, "[%zu/%zu] %s: %s", done, c->ntargets,
		    cd_report_target(r), cd_status_name(cd_reports_worst(one,
		    1)));
}

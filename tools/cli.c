/*
 * cli.c - the command-line machinery shared by the tools.  Everything
 * that talks to the user (stdout, stderr, environment, exit codes) lives
 * on this side; the library never does any of it.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

enum {
	O_HELP = 1, O_VERSION, O_FORMAT, O_JSON, O_NAGIOS, O_VERBOSE, O_COLOR,
	O_JOBS, O_FILE, O_SORT, O_LIST_PROBLEMS, O_LIST_OPTIONS
};

static const struct cli_opt shared_opts[] = {
	{"help", 'h', CLI_NONE, NULL, NULL, "show this help and exit", O_HELP},
	{"version", 'V', CLI_NONE, NULL, NULL, "show the version and exit",
	    O_VERSION},
	{"format", 'o', CLI_STRING, "FMT", "text json nagios prometheus",
	    "output format: text, json, nagios or prometheus", O_FORMAT},
	{"json", 0, CLI_NONE, NULL, NULL, "same as --format=json", O_JSON},
	{"nagios", 0, CLI_NONE, NULL, NULL, "same as --format=nagios",
	    O_NAGIOS},
	{"timeout", 't', CLI_NUMBER, "SECONDS", NULL, "deadline for the whole "
	    "check of one target (default 10)", CLI_LIB(CD_OPT_TIMEOUT)},
	{"ipv4", '4', CLI_NONE, NULL, NULL, "use only IPv4 addresses",
	    CLI_LIB(CD_OPT_IPV4)},
	{"ipv6", '6', CLI_NONE, NULL, NULL, "use only IPv6 addresses",
	    CLI_LIB(CD_OPT_IPV6)},
	{"dns-server", 0, CLI_STRING, "ADDR[:PORT],...", NULL, "resolve with "
	    "these DNS servers instead of /etc/resolv.conf",
	    CLI_LIB(CD_OPT_DNS_SERVER)},
	{"verbose", 'v', CLI_NONE, NULL, NULL, "more detail: -v every field "
	    "in text (nagios: the text report too), -vv also the report in "
	    "JSON, -vvv also a line on stderr per target done", O_VERBOSE},
	{"color", 0, CLI_STRING, "WHEN", "auto always never", "colour in text "
	    "output: auto, always or never", O_COLOR},
	{"jobs", 'j', CLI_NUMBER, "N", NULL, "check N targets at once", O_JOBS},
	{"file", 'f', CLI_FILE, "FILE", NULL, "read targets from FILE, one "
	    "per line ('-' = stdin)", O_FILE},
	{"sort", 0, CLI_OPTIONAL, "KEY", "input status name", "print the "
	    "results at the end, sorted by KEY: input, status or name", O_SORT},
	{"ignore", 0, CLI_STRING, "CODE,...", NULL, "leave these problem "
	    "codes out of the status (still listed, marked ignored)",
	    CLI_LIB(CD_OPT_IGNORE)},
	{"severity", 0, CLI_STRING, "CODE:LEVEL,...", NULL, "give these "
	    "problem codes another severity: ok, warning or critical",
	    CLI_LIB(CD_OPT_SEVERITY)},
	{NULL, 0, CLI_NONE, NULL, NULL, NULL, 0}
};

/*
 * Options for programs rather than people, left out of --help: the
 * shell completions ask the tool itself for the problem codes that
 * --ignore and --severity take, so that they never fall behind it; the
 * tests hold the man pages, completions and Icinga 2 CheckCommands to
 * the option tables that --list-options dumps.
 */
static const struct cli_opt hidden_opts[] = {
	{"list-problems", 0, CLI_NONE, NULL, NULL, NULL, O_LIST_PROBLEMS},
	{"list-options", 0, CLI_NONE, NULL, NULL, NULL, O_LIST_OPTIONS},
	{NULL, 0, CLI_NONE, NULL, NULL, NULL, 0}
};

/*
 * "prog: message" on stderr, message made display-safe: it quotes what
 * the user, a -f file or a peer wrote, which may hold escape sequences
 * or bidirectional controls meant for the terminal.
 */
static char *
vmsg(const char *fmt, va_list ap)
{
	char *m = NULL, *e = NULL;

	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	if (m != NULL)
		e = cd_escape_display(m, strlen(m));
	free(m);
	return e;
}

static void
vsay(const struct cli *c, const char *fmt, va_list ap)
{
	char *e = vmsg(fmt, ap);

	fprintf(stderr, "%s: %s", c->prog, e ? e : "out of memory");
	free(e);
}

void
cli_say(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(c, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_fail(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	char *e;

	va_start(ap, fmt);
	e = vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", c->prog, e ? e : "out of memory");
	if (c->format == CD_FMT_NAGIOS)
		cli_plugin_unknown(c, e ? e : "out of memory");
	free(e);
}

void
cli_usage_error(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	char *e;

	va_start(ap, fmt);
	e = vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s (see '%s --help')\n", c->prog,
	    e ? e : "out of memory", c->prog);
	if (c->format == CD_FMT_NAGIOS) {
		fprintf(stderr, "Usage: %s\n", c->synopsis);
		cli_plugin_unknown(c, e ? e : "out of memory");
	}
	free(e);
	exit(CD_ST_UNKNOWN);
}

void
cli_init(struct cli *c, const char *argv0, const char *tool,
    const char *synopsis, const char *about, const struct cli_opt *opts)
{
	const char *slash = strrchr(argv0, '/');

	memset(c, 0, sizeof(*c));
	c->prog = slash ? slash + 1 : argv0;
	c->tool = tool;
	c->synopsis = synopsis;
	c->about = about;
	c->opts = opts;
	c->service = cli_service(tool);
	c->jobs = 1;
	c->format = strncmp(c->prog, "check_", 6) == 0 ? CD_FMT_NAGIOS :
	    CD_FMT_TEXT;
	if ((c->o = cd_opts_new()) == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->prog);
		exit(CD_ST_UNKNOWN);
	}
}

void
cli_set(struct cli *c, enum cd_opt opt, const char *arg)
{
	cd_rc rc = cd_opts_set(c->o, opt, arg);

	if (rc == CD_E_NOMEM)
		cli_fail(c, "out of memory");
	if (rc == CD_E_NOMEM)
		exit(CD_ST_UNKNOWN);
	if (rc != CD_OK)
		cli_usage_error(c, "%s", cd_opts_error(c->o));
}

const char *
cli_get(const struct cli *c, enum cd_opt opt)
{
	return cd_opts_get(c->o, opt);
}

static void
help_rows(const struct cli_opt *t)
{
	char left[64];

	for (; t->name; t++) {
		if (t->arg == CLI_OPTIONAL)
			snprintf(left, sizeof(left), "    --%s[=%s]", t->name,
			    t->metavar);
		else if (t->shortc)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			    t->shortc, t->name, t->metavar ? "=" : "",
			    t->metavar ? t->metavar : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", t->name,
			    t->metavar ? "=" : "", t->metavar ? t->metavar : "");
		printf("  %-30s %s\n", left, t->help);
	}
}

static void
help(const struct cli *c)
{
	printf("Usage: %s\n\n%s\n\nOptions:\n", c->synopsis, c->about);
	help_rows(c->opts);
	help_rows(shared_opts);
	printf("\nExit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	    "Run as check_* (a symlink), the default format is nagios.\n"
	    "See %s(1) and certdiag(7).\n", c->tool);
}

static bool
cli_jobs(const char *s, unsigned *jobs)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || n < 1 || n > 1024)
		return false;
	*jobs = (unsigned)n;
	return true;
}

/* Colour when not told: only on a TTY, and never when NO_COLOR is set. */
static bool
color_auto(void)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

static void
cli_sort(struct cli *c, const char *arg)
{
	static const char *const keys[] = {"input", "status", "name", NULL};
	size_t i;

	if (arg == NULL) {
		c->sort = CLI_SORT_INPUT;
		return;
	}
	for (i = 0; keys[i]; i++)
		if (strcmp(arg, keys[i]) == 0) {
			c->sort = (enum cli_sort)(CLI_SORT_INPUT + i);
			return;
		}
	cli_usage_error(c, "--sort '%s': want input, status or name", arg);
}

static void
shared(struct cli *c, int id, const char *arg)
{
	struct cd_err e;

	switch (id) {
	case O_HELP:
		help(c);
		exit(0);
	case O_VERSION:
		printf("%s (certdiag) %s\n", c->tool, cd_version());
		exit(0);
	case O_LIST_PROBLEMS:
		cli_list_problems();
		exit(0);
	case O_LIST_OPTIONS:
		cli_list_options(c->opts, shared_opts, hidden_opts);
		exit(0);
	case O_FORMAT:
		if (cd_format_parse(arg, &c->format, &e) != CD_OK)
			cli_usage_error(c, "%s", e.msg);
		break;
	case O_JSON:
		c->format = CD_FMT_JSON;
		break;
	case O_NAGIOS:
		c->format = CD_FMT_NAGIOS;
		break;
	case O_VERBOSE:
		cli_set(c, CD_OPT_VERBOSE, NULL);
		c->verbose++;
		c->fmt_flags |= CD_FMT_VERBOSE;
		break;
	case O_JOBS:
		if (!cli_jobs(arg, &c->jobs))
			cli_usage_error(c, "--jobs '%s': want 1..1024", arg);
		break;
	case O_FILE:
		cli_read_targets(c, arg);
		break;
	case O_SORT:
		cli_sort(c, arg);
		break;
	case CLI_O_HOST:
		c->host = arg;
		break;
	case CLI_O_SNI_IGNORED:
		break;
	case O_COLOR:
		if (strcmp(arg, "always") == 0)
			c->fmt_flags |= CD_FMT_COLOR;
		else if (strcmp(arg, "never") == 0)
			c->fmt_flags &= ~(unsigned)CD_FMT_COLOR;
		else if (strcmp(arg, "auto") != 0)
			cli_usage_error(c, "--color '%s': want auto, always "
			    "or never", arg);
		else if (color_auto())	/* the last --color wins */
			c->fmt_flags |= CD_FMT_COLOR;
		else
			c->fmt_flags &= ~(unsigned)CD_FMT_COLOR;
		break;
	}
}

/* Both tables into getopt_long's form; ids are kept in .val. */
static void
build(const struct cli *c, struct option *lo, char *so, size_t *nlo)
{
	const struct cli_opt *tabs[3] = {shared_opts, c->opts, hidden_opts}, *t;
	size_t k, n = 0;
	char *s = so;

	*s++ = ':';	/* report a missing argument as ':' */
	for (k = 0; k < 3; k++)
		for (t = tabs[k]; t->name; t++) {
			lo[n].name = t->name;
			lo[n].has_arg = t->arg == CLI_NONE ? no_argument :
			    t->arg == CLI_OPTIONAL ? optional_argument :
			    required_argument;
			lo[n].flag = NULL;
			lo[n++].val = 1000 + t->id;
			if (t->shortc) {
				*s++ = (char)t->shortc;
				if (t->arg != CLI_NONE)
					*s++ = ':';
			}
		}
	*s = '\0';
	memset(&lo[n], 0, sizeof(lo[n]));
	*nlo = n;
}

/* Map a short letter back to its id. */
static int
short_id(const struct cli *c, int ch)
{
	const struct cli_opt *tabs[2] = {shared_opts, c->opts}, *t;
	size_t k;

	for (k = 0; k < 2; k++)
		for (t = tabs[k]; t->name; t++)
			if (t->shortc == ch)
				return t->id;
	return -1;
}

void
cli_add_target(struct cli *c, const char *t)
{
	char **n;

	if ((n = realloc(c->targets, (c->ntargets + 1) * sizeof(*n))) == NULL ||
	    (n[c->ntargets] = strdup(t)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", c->prog);
		exit(CD_ST_UNKNOWN);
	}
	c->targets = n;
	c->ntargets++;
}

void
cli_read_targets(struct cli *c, const char *path)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL, *s, *e;
	size_t cap = 0;

	if (fp == NULL)
		cli_usage_error(c, "%s: %s", path, strerror(errno));
	c->batch = true;
	for (;;) {
		errno = 0;
		if (getline(&line, &cap, fp) == -1)
			break;
		if ((s = strchr(line, '#')) != NULL)
			*s = '\0';
		/* The same white space at both ends (a CR too: "a\rb\r"). */
		for (s = line; *s == ' ' || *s == '\t' || *s == '\r'; s++)
			;
		for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]); e--)
			;
		*e = '\0';
		if (*s)
			cli_add_target(c, s);
	}
	/*
	 * getline() also gives -1 when it cannot grow its buffer (ENOMEM on
	 * a huge line) without marking the stream: only end of file is the
	 * end.  Anything else must not pass for a shorter list of targets.
	 */
	if (ferror(fp) || !feof(fp)) {
		cli_fail(c, "%s: cannot read the targets: %s", path,
		    errno ? strerror(errno) : "read error");
		exit(CD_ST_UNKNOWN);
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
}

void
cli_parse(struct cli *c, int argc, char **argv,
    bool (*handler)(struct cli *c, int id, const char *arg))
{
	struct option lo[64];
	char so[128];
	size_t nlo;
	int ch, id;

	cli_plugin_prescan(c, argc, argv);
	cli_plugin_sni_flag(c, &argc, argv);
	build(c, lo, so, &nlo);
	if (color_auto())
		c->fmt_flags |= CD_FMT_COLOR;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (ch == '?' && cli_plugin_why(c, optopt) != NULL)
			cli_usage_error(c, "%s", cli_plugin_why(c, optopt));
		if (ch == '?' && optopt != 0 && optopt < 1000)
			cli_usage_error(c, "unknown option '-%c'", optopt);
		if (ch == '?' && optopt >= 1000)
			cli_usage_error(c, "option '%s' takes no value",
			    argv[optind - 1]);
		if (ch == '?')
			cli_usage_error(c, "unknown option '%s'",
			    argv[optind - 1]);
		if (ch == ':')
			cli_usage_error(c, "option '%s' needs a value",
			    argv[optind - 1]);
		id = ch >= 1000 ? ch - 1000 : short_id(c, ch);
		if (id >= CLI_LIB_BASE)
			cli_set(c, (enum cd_opt)(id - CLI_LIB_BASE), optarg);
		else if (id < CLI_TOOL_BASE)
			shared(c, id, optarg);
		else if (!handler(c, id, optarg))
			cli_usage_error(c, "bad value '%s'", optarg);
	}
	for (; optind < argc; optind++)
		cli_add_target(c, argv[optind]);
	cli_plugin_finish(c);
	if (c->ntargets > 1)
		c->batch = true;
}

void
cli_check_domains(struct cli *c)
{
	struct cd_err e;
	char *ace;
	bool wild;
	size_t i;

	if (c->ntargets == 0)
		cli_usage_error(c, "no DOMAIN given");
	/* A bad line of a batch is that line's check_error alone. */
	if (c->batch)
		return;
	for (i = 0; i < c->ntargets; i++) {
		if (cd_ip_identifier_parse(c->targets[i], &ace, &e) == CD_OK) {
			free(ace);
			if (!c->ip_identifiers)
				cli_usage_error(c, "'%s' is an IP address: the CA "
				    "validates those with http-01 and tls-alpn-01 "
				    "only (http01check, tlsalpn01check), and checks "
				    "no CAA for them", c->targets[i]);
			continue;
		}
		if (cd_domain_parse(c->targets[i], true, &ace, &wild, &e) !=
		    CD_OK)
			cli_usage_error(c, "bad domain: %s", e.msg);
		free(ace);
	}
}

void
cli_free(struct cli *c)
{
	size_t i;

	for (i = 0; i < c->ntargets; i++)
		free(c->targets[i]);
	free(c->targets);
	c->targets = NULL;
	c->ntargets = 0;
	cd_opts_free(c->o);
	c->o = NULL;
}

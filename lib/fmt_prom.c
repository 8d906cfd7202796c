/*
 * fmt_prom.c - Prometheus text exposition (format 0.0.4), for
 * node_exporter's textfile collector; the families themselves are in
 * fmt_prom_metrics.c.
 *
 * The format wants every sample of a metric family in one group under
 * its # HELP and # TYPE, so the output is written family by family over
 * all the reports (like nagios, it needs them all), and a family no
 * report has a value for is left out.  Every sample carries
 * target="..." and check="cert|caa|http01|dns01|tlsalpn01": the outputs
 * of several tools may sit in one textfile directory, and node_exporter
 * refuses the whole scrape when two files give the same series.  For
 * the same reason a target given twice is written once.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "escape.h"
#include "fmt_prom.h"

cd_rc cd_fmt_prometheus(const struct cd_report *const *r, size_t n,
    FILE *fp, struct cd_err *err);

/*
 * A label value as the exposition format writes it: backslash, double
 * quote and line feed escaped.  The format wants UTF-8: text that is
 * not (a file name, a peer's bytes) goes through the display escape
 * first, which spells the bad bytes \xHH.
 */
static void
put_value(FILE *fp, const char *s)
{
	char *e = NULL;
	const char *p;

	if (!cd_utf8_valid(s, strlen(s)))
		s = e = cd_escape_display(s, strlen(s));
	for (p = s ? s : "(out of memory)"; *p; p++)
		if (*p == '\\')
			fputs("\\\\", fp);
		else if (*p == '"')
			fputs("\\\"", fp);
		else if (*p == '\n')
			fputs("\\n", fp);
		else
			fputc(*p, fp);
	free(e);
}

/* ,key="value" for each non-NULL pair (keys are ours, values anyone's). */
static char *
labels(const char *const *kv, size_t n)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *m;

	if ((m = open_memstream(&buf, &len)) == NULL)
		return NULL;
	for (i = 0; i + 1 < n; i += 2) {
		if (kv[i + 1] == NULL)
			continue;
		fprintf(m, ",%s=\"", kv[i]);
		put_value(m, kv[i + 1]);
		fputc('"', m);
	}
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void
cd_prom_sample_kv(struct cd_prom_out *o, const char *const *kv, size_t n, double v)
{
	char *l = labels(kv, n), **s;
	size_t i;

	if (l == NULL) {
		o->oom = true;
		return;
	}
	for (i = 0; i < o->nseen; i++)
		if (strcmp(o->seen[i], l) == 0) {
			free(l);
			return;
		}
	if ((s = realloc(o->seen, (o->nseen + 1) * sizeof(*s))) == NULL) {
		free(l);
		o->oom = true;
		return;
	}
	o->seen = s;
	o->seen[o->nseen++] = l;
	/* 15 digits: the decimal a value was made from, no float noise. */
	fprintf(o->fp, "%s{%s%s} %.15g\n", o->name, o->base, l, v);
}

void
cd_prom_sample(struct cd_prom_out *o, double v)
{
	cd_prom_sample_kv(o, NULL, 0, v);
}

/* "CERT" -> "cert": the check label. */
static void
lower(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	buf[i] = '\0';
}

static char *
base_labels(const struct cd_report *r)
{
	char check[16], *l, *out;
	const char *kv[] = {"target", r->target, "check", check,
	    "address", r->address};

	lower(r->service, check, sizeof(check));
	if ((l = labels(kv, CD_ARRAY_LEN(kv))) == NULL)
		return NULL;
	/* labels() puts a comma before each pair: not before the first. */
	out = strdup(l + 1);
	free(l);
	return out;
}

/* A report and where it came in the input. */
struct ranked {
	const struct cd_report *r;
	size_t i;
};

/* By target, then address, then input order: duplicates next to each
 * other, the first given first. */
static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int d = strcmp(x->r->target, y->r->target);

	if (d == 0)
		d = strcmp(x->r->address ? x->r->address : "",
		    y->r->address ? y->r->address : "");
	if (d == 0)
		d = x->i < y->i ? -1 : x->i > y->i;
	return d;
}

/* The reports whose series an earlier one already wrote. */
static bool *
duplicates(const struct cd_report **all, size_t m)
{
	struct ranked *s = calloc(m, sizeof(*s));
	bool *dup = calloc(m, sizeof(*dup));
	size_t i;

	if (s == NULL || dup == NULL) {
		free(s);
		free(dup);
		return NULL;
	}
	for (i = 0; i < m; i++) {
		s[i].r = all[i];
		s[i].i = i;
	}
	qsort(s, m, sizeof(*s), cmp_ranked);
	for (i = 1; i < m; i++)
		if (strcmp(s[i - 1].r->target, s[i].r->target) == 0 &&
		    strcmp(s[i - 1].r->address ? s[i - 1].r->address : "",
		    s[i].r->address ? s[i].r->address : "") == 0)
			dup[s[i].i] = true;
	free(s);
	return dup;
}

static cd_rc
write_all(const struct cd_report **all, size_t m, FILE *fp)
{
	char **base = calloc(m, sizeof(*base)), *buf = NULL;
	bool *dup = duplicates(all, m);
	cd_rc rc = CD_OK;
	size_t f, i, k, len = 0;
	struct cd_prom_out o;

	if (base == NULL || dup == NULL)
		rc = CD_E_NOMEM;
	for (i = 0; rc == CD_OK && i < m; i++)
		if ((base[i] = base_labels(all[i])) == NULL)
			rc = CD_E_NOMEM;
	for (f = 0; rc == CD_OK && f < cd_prom_nfamilies; f++) {
		memset(&o, 0, sizeof(o));
		o.name = cd_prom_families[f].name;
		if ((o.fp = open_memstream(&buf, &len)) == NULL) {
			rc = CD_E_NOMEM;
			break;
		}
		for (i = 0; i < m; i++) {
			if (dup[i])
				continue;
			o.base = base[i];
			cd_prom_families[f].fn(&o, all[i]);
			for (k = 0; k < o.nseen; k++)
				free(o.seen[k]);
			free(o.seen);
			o.seen = NULL;
			o.nseen = 0;
		}
		if (fclose(o.fp) != 0 || o.oom)
			rc = CD_E_NOMEM;
		else if (len > 0)
			fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n%s",
			    cd_prom_families[f].name, cd_prom_families[f].help,
			    cd_prom_families[f].name, buf);
		free(buf);
		buf = NULL;
	}
	for (i = 0; base != NULL && i < m; i++)
		free(base[i]);
	free(base);
	free(dup);
	return rc;
}

cd_rc
cd_fmt_prometheus(const struct cd_report *const *r, size_t n, FILE *fp,
    struct cd_err *err)
{
	const struct cd_report **all, *p;
	size_t i, m = 0;
	cd_rc rc;

	for (i = 0; i < n; i++)
		for (p = r[i]; p != NULL; p = p->next)
			m++;
	if (m == 0)
		return cd_err_set(err, CD_E_USAGE, "no report to format");
	if ((all = calloc(m, sizeof(*all))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	/* --all-addresses: each address's report is a series of its own. */
	for (i = 0, m = 0; i < n; i++)
		for (p = r[i]; p != NULL; p = p->next)
			all[m++] = p;
	rc = write_all(all, m, fp);
	free(all);
	if (rc != CD_OK)
		return cd_err_set(err, rc, "out of memory");
	if (fflush(fp) != 0 || ferror(fp))
		return cd_err_set(err, CD_E_IO, "cannot write the output");
	return CD_OK;
}

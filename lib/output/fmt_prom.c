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
 * the same reason a target given twice is written once.  A batch turns
 * each report into its lines as it comes (cd_prom_batch_add), so the
 * reports need not be kept.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "escape.h"
#include "fmt_prom.h"


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

/*
 * The samples of every family so far, one memory stream each: a report
 * becomes its lines as it arrives and can be freed, so a batch of
 * thousands of targets keeps only text.
 */
struct cd_prom_batch {
	FILE **fp;
	char **buf;
	size_t *len;
	json_t *seen;	/* base label sets written, as keys */
	bool oom;
};

void
cd_prom_batch_free(struct cd_prom_batch *b)
{
	size_t f;

	if (b == NULL)
		return;
	for (f = 0; f < cd_prom_nfamilies; f++) {
		if (b->fp != NULL && b->fp[f] != NULL)
			fclose(b->fp[f]);
		if (b->buf != NULL)
			free(b->buf[f]);
	}
	free(b->fp);
	free(b->buf);
	free(b->len);
	json_decref(b->seen);
	free(b);
}

cd_rc
cd_prom_batch_new(struct cd_prom_batch **out, struct cd_err *err)
{
	struct cd_prom_batch *b = calloc(1, sizeof(*b));
	size_t f, n = cd_prom_nfamilies;

	*out = NULL;
	if (b == NULL || (b->fp = calloc(n, sizeof(*b->fp))) == NULL ||
	    (b->buf = calloc(n, sizeof(*b->buf))) == NULL ||
	    (b->len = calloc(n, sizeof(*b->len))) == NULL ||
	    (b->seen = json_object()) == NULL)
		goto oom;
	for (f = 0; f < n; f++)
		if ((b->fp[f] = open_memstream(&b->buf[f], &b->len[f])) ==
		    NULL)
			goto oom;
	*out = b;
	return CD_OK;
oom:
	cd_prom_batch_free(b);
	return cd_err_set(err, CD_E_NOMEM, "out of memory");
}

/* One report (not the ones linked from it) into every family. */
static void
add_one(struct cd_prom_batch *b, const struct cd_report *r)
{
	struct cd_prom_out o;
	char *base = base_labels(r);
	size_t f, k;

	if (base == NULL) {
		b->oom = true;
		return;
	}
	/*
	 * A label set already written (a target given twice, or two that
	 * escape to the same text) would be a duplicate series: the
	 * first one stays.  jansson's object is the hash set.
	 */
	if (json_object_get(b->seen, base) != NULL) {
		free(base);
		return;
	}
	if (json_object_set_new_nocheck(b->seen, base, json_true()) != 0)
		b->oom = true;
	for (f = 0; f < cd_prom_nfamilies; f++) {
		memset(&o, 0, sizeof(o));
		o.fp = b->fp[f];
		o.name = cd_prom_families[f].name;
		o.base = base;
		cd_prom_families[f].fn(&o, r);
		for (k = 0; k < o.nseen; k++)
			free(o.seen[k]);
		free(o.seen);
		if (o.oom)
			b->oom = true;
	}
	free(base);
}

cd_rc
cd_prom_batch_add(struct cd_prom_batch *b, const struct cd_report *r,
    struct cd_err *err)
{
	/* --all-addresses: each address's report is a series of its own. */
	for (; r != NULL; r = r->next)
		add_one(b, r);
	return b->oom ? cd_err_set(err, CD_E_NOMEM, "out of memory") : CD_OK;
}

cd_rc
cd_prom_batch_write(struct cd_prom_batch *b, FILE *fp, struct cd_err *err)
{
	size_t f;

	if (json_object_size(b->seen) == 0)
		return cd_err_set(err, CD_E_USAGE, "no report to format");
	for (f = 0; f < cd_prom_nfamilies; f++) {
		if (fflush(b->fp[f]) != 0 || ferror(b->fp[f]))
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
		if (b->len[f] == 0)
			continue;
		fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n",
		    cd_prom_families[f].name, cd_prom_families[f].help,
		    cd_prom_families[f].name);
		fwrite(b->buf[f], 1, b->len[f], fp);
	}
	if (fflush(fp) != 0 || ferror(fp))
		return cd_err_set(err, CD_E_IO, "cannot write the output");
	return CD_OK;
}

cd_rc
cd_fmt_prometheus(const struct cd_report *const *r, size_t n, FILE *fp,
    struct cd_err *err)
{
	struct cd_prom_batch *b;
	size_t i;
	cd_rc rc;

	if (n == 0)
		return cd_err_set(err, CD_E_USAGE, "no report to format");
	if ((rc = cd_prom_batch_new(&b, err)) != CD_OK)
		return rc;
	for (i = 0; i < n && rc == CD_OK; i++)
		rc = cd_prom_batch_add(b, r[i], err);
	if (rc == CD_OK)
		rc = cd_prom_batch_write(b, fp, err);
	cd_prom_batch_free(b);
	return rc;
}

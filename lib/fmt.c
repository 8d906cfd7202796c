/* fmt.c - choosing a formatter. */
#include <string.h>

#include "err.h"
#include "report.h"

cd_rc cd_fmt_text(const struct cd_report *r, FILE *fp, unsigned flags);
cd_rc cd_fmt_json(const struct cd_report *r, FILE *fp);

cd_rc
cd_format_parse(const char *s, enum cd_format *out, struct cd_err *err)
{
	if (strcmp(s, "text") == 0)
		*out = CD_FMT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = CD_FMT_JSON;
	else if (strcmp(s, "nagios") == 0)
		*out = CD_FMT_NAGIOS;
	else if (strcmp(s, "prometheus") == 0)
		*out = CD_FMT_PROMETHEUS;
	else
		return cd_err_set(err, CD_E_USAGE, "unknown format '%s' "
		    "(text, json, nagios or prometheus)", s);
	return CD_OK;
}

cd_rc
cd_fmt_write_one(enum cd_format fmt, const struct cd_report *r, FILE *fp,
    unsigned flags, struct cd_err *err)
{
	cd_rc rc = CD_OK;

	if (fmt == CD_FMT_NAGIOS)
		return cd_err_set(err, CD_E_USAGE, "nagios output needs "
		    "every report at once (cd_fmt_nagios)");
	if (fmt == CD_FMT_PROMETHEUS)
		return cd_err_set(err, CD_E_USAGE, "prometheus output needs "
		    "every report at once (cd_fmt_prometheus)");
	/* One block or line per address under --all-addresses. */
	for (; r != NULL && rc == CD_OK; r = r->next) {
		switch (fmt) {
		case CD_FMT_TEXT:
			rc = cd_fmt_text(r, fp, flags);
			break;
		case CD_FMT_JSON:
			rc = cd_fmt_json(r, fp);
			break;
		case CD_FMT_NAGIOS:
		case CD_FMT_PROMETHEUS:
			break;
		}
	}
	if (rc != CD_OK)
		return cd_err_set(err, rc, "cannot write the report");
	return fflush(fp) == 0 ? CD_OK :
	    cd_err_set(err, CD_E_IO, "cannot write the output");
}

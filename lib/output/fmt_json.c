/*
 * fmt_json.c - one JSON object per report, one per line (JSON Lines),
 * built with jansson: format_version, target, status, problems, then
 * the tool's fields.  The getters (report_get.c) read the same tree.
 */
#include "jsonutil.h"
#include "report.h"

cd_rc cd_fmt_json(const struct cd_report *r, FILE *fp);

json_t *
cd_report_json(const struct cd_report *r)
{
	json_t *o = json_object(), *probs = json_array(), *p;
	size_t i;

	if (o == NULL || probs == NULL) {
		json_decref(o);
		json_decref(probs);
		return NULL;
	}
	/* Raised only when a field changes meaning or goes away. */
	cd_json_setk(o, CD_K_FORMAT_VERSION,
	    json_integer(CD_JSON_FORMAT_VERSION));
	cd_json_setk(o, CD_K_TARGET, cd_json_str(r->target));
	cd_json_setk(o, CD_K_STATUS,
	    cd_json_str(cd_status_name(cd_report_status(r))));
	for (i = 0; i < r->nprobs; i++) {
		if ((p = json_object()) == NULL)
			continue;
		cd_json_setk(p, CD_K_SEVERITY,
		    cd_json_str(cd_status_name(r->probs[i].pub.severity)));
		cd_json_setk(p, CD_K_CODE,
		    cd_json_str(cd_problem_name(r->probs[i].pub.code)));
		cd_json_setk(p, CD_K_MESSAGE, cd_json_str(r->probs[i].message));
		if (r->probs[i].hint)
			cd_json_setk(p, CD_K_HINT,
			    cd_json_str(r->probs[i].hint));
		/* Only when the operator's policy touched it (--severity,
		 * --ignore): other problems keep their usual shape. */
		if (r->probs[i].pub.severity != r->probs[i].pub.severity_default)
			cd_json_setk(p, CD_K_SEVERITY_DEFAULT, cd_json_str(
			    cd_status_name(r->probs[i].pub.severity_default)));
		if (r->probs[i].pub.ignored)
			cd_json_setk(p, CD_K_IGNORED, json_true());
		cd_json_push(probs, p);
	}
	cd_json_setk(o, CD_K_PROBLEMS, probs);
	json_object_update(o, r->detail);
	return o;
}

cd_rc
cd_fmt_json(const struct cd_report *r, FILE *fp)
{
	json_t *o;
	int ok;

	if ((o = cd_report_json(r)) == NULL)
		return CD_E_NOMEM;
	/*
	 * 15 significant digits: every double prints as the decimal it was
	 * made from (0.005, not 0.0050000000000000001).
	 */
	ok = json_dumpf(o, fp, JSON_COMPACT | JSON_REAL_PRECISION(15)) == 0 &&
	    fputc('\n', fp) != EOF;
	json_decref(o);
	return ok ? CD_OK : CD_E_IO;
}

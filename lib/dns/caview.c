/*
 * caview.c - the CA's resolver, through libunbound: iteration from the
 * roots, DNSSEC validation, the hardening Let's Encrypt's validator runs
 * with, and no cache shared between checks.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <unbound.h>

#include "caview.h"
#include "ctx.h"
#include "err.h"
#include "timeutil.h"

/* Debian's dns-root-data: the Internet's roots and root key. */
#define SYSTEM_HINTS "/usr/share/dns/root.hints"
#define SYSTEM_ANCHOR "/usr/share/dns/root.key"

/*
 * One resolver serves every check of a run (a batch of thousands shares
 * it, as every validation at the CA shares the CA's resolver).  Threads
 * take turns at reading its answers: the one that finds no reader waits
 * on the descriptor and runs the callbacks, under mu, for every thread's
 * queries; the others wait on cv.
 */
struct cd_caview {
	struct ub_ctx *ub;
	bool validate;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool reading;		/* a thread waits on ub_fd() */
};

struct pending {
	struct cd_caview_answer *a;
	int type;
	bool validate;
	bool done;
	int id;
};

const char *
cd_dnssec_name(enum cd_dnssec s)
{
	switch (s) {
	case CD_DNSSEC_UNCHECKED:
		return "unchecked";
	case CD_DNSSEC_SECURE:
		return "secure";
	case CD_DNSSEC_INSECURE:
		return "insecure";
	case CD_DNSSEC_BOGUS:
		return "bogus";
	case CD_DNSSEC_INDETERMINATE:
		return "indeterminate";
	}
	return "unchecked";
}

enum cd_caview_mode
cd_caview_mode_of(const struct cd_ctx *ctx)
{
	if (ctx->o.no_ca_view)
		return CD_CAVIEW_OFF;
	if (ctx->o.root_hints == NULL && ctx->o.dns_servers != NULL)
		return CD_CAVIEW_STUB;
	return CD_CAVIEW_RECURSIVE;
}

const char *
cd_caview_hints_file(const struct cd_ctx *ctx)
{
	if (ctx->o.root_hints != NULL)
		return ctx->o.root_hints;
	return access(SYSTEM_HINTS, R_OK) == 0 ? SYSTEM_HINTS : "built-in";
}

const char *
cd_caview_anchor_file(const struct cd_ctx *ctx)
{
	if (ctx->root_unsigned)
		return "none";
	return ctx->o.trust_anchor ? ctx->o.trust_anchor : SYSTEM_ANCHOR;
}

static cd_rc
set(struct ub_ctx *ub, const char *opt, const char *val, struct cd_err *e)
{
	int r = ub_ctx_set_option(ub, opt, val);

	if (r != 0)
		return cd_err_lib(e, CD_E_INTERNAL, "libunbound", r,
		    "libunbound: %s %s: %s", opt, val, ub_strerror(r));
	return CD_OK;
}

/*
 * The settings of the resolver Let's Encrypt describes as its
 * validator's: hardened glue and DNSSEC, 0x20 query names, nothing kept
 * in a cache, private addresses refused in answers.
 */
static cd_rc
configure(struct cd_caview *v, const struct cd_ctx *ctx, bool validate,
    struct cd_err *e)
{
	static const char *const opts[][2] = {
		{"harden-glue:", "yes"},
		{"harden-dnssec-stripped:", "yes"},
		{"use-caps-for-id:", "yes"},
		{"cache-min-ttl:", "0"},
		{"cache-max-ttl:", "0"},
		{"neg-cache-size:", "0"},
		{"val-clean-additional:", "yes"},
		{"val-log-level:", "2"},
		{"private-address:", "10.0.0.0/8"},
		{"private-address:", "172.16.0.0/12"},
		{"private-address:", "192.168.0.0/16"},
	};
	const char *hints = cd_caview_hints_file(ctx);
	const char *ta = cd_caview_anchor_file(ctx);
	size_t i;
	cd_rc rc;
	int r;

	for (i = 0; i < CD_ARRAY_LEN(opts); i++)
		if ((rc = set(v->ub, opts[i][0], opts[i][1], e)) != CD_OK)
			return rc;
	if (strcmp(hints, "built-in") != 0) {
		if (access(hints, R_OK) != 0)
			return cd_err_set(e, CD_E_USAGE, "cannot read root "
			    "hints %s", hints);
		if ((rc = set(v->ub, "root-hints:", hints, e)) != CD_OK)
			return rc;
	}
	/* A private root (a lab, an internal PKI) lives on such addresses. */
	if (ctx->o.root_hints != NULL &&
	    (rc = set(v->ub, "do-not-query-localhost:", "no", e)) != CD_OK)
		return rc;
	v->validate = validate && strcmp(ta, "none") != 0;
	if (!v->validate)
		return set(v->ub, "module-config:", "iterator", e);
	if (access(ta, R_OK) != 0)
		return cd_err_set(e, CD_E_USAGE, "cannot read the DNSSEC trust "
		    "anchor %s%s", ta, ctx->o.trust_anchor ? "" :
		    " (install dns-root-data, or give --trust-anchor)");
	if ((r = ub_ctx_add_ta_file(v->ub, ta)) != 0)
		return cd_err_lib(e, CD_E_USAGE, "libunbound", r,
		    "trust anchor %s: %s", ta, ub_strerror(r));
	return CD_OK;
}

static cd_rc
caview_new(const struct cd_ctx *ctx, bool validate, struct cd_caview **out,
    struct cd_err *err)
{
	struct cd_caview *v;
	cd_rc rc;
	int r;

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	pthread_mutex_init(&v->mu, NULL);
	pthread_cond_init(&v->cv, NULL);
	if ((v->ub = ub_ctx_create()) == NULL) {
		pthread_cond_destroy(&v->cv);
		pthread_mutex_destroy(&v->mu);
		free(v);
		return cd_err_set(err, CD_E_INTERNAL, "libunbound: cannot "
		    "create a resolver");
	}
	/* A thread, not a forked process, works the queries. */
	if ((r = ub_ctx_async(v->ub, 1)) != 0) {
		cd_caview_free(v);
		return cd_err_lib(err, CD_E_INTERNAL, "libunbound", r,
		    "libunbound: %s", ub_strerror(r));
	}
	if ((rc = configure(v, ctx, validate, err)) != CD_OK) {
		cd_caview_free(v);
		return rc;
	}
	*out = v;
	return CD_OK;
}

cd_rc
cd_caview_new(const struct cd_ctx *ctx, struct cd_caview **out,
    struct cd_err *err)
{
	return caview_new(ctx, true, out, err);
}

cd_rc
cd_caview_new_plain(const struct cd_ctx *ctx, struct cd_caview **out,
    struct cd_err *err)
{
	return caview_new(ctx, false, out, err);
}

/*
 * libunbound's "FILE:L:C" (or "FILE L:C") counts the newline that ends
 * the bad line, so L is one past it unless the line had none (the last
 * line of a file without a final newline): "FILE line N: reason", with
 * the line a user's editor shows.  nl is the file's number of newlines,
 * ends_nl whether its last byte is one.
 */
void
cd_caview_where(const char *msg, const char *file, size_t nl, bool ends_nl,
    char *out, size_t len)
{
	const char *p = file && *file ? strstr(msg, file) : NULL, *reason;
	unsigned long l;
	size_t flen;
	char *end;

	snprintf(out, len, "%s", msg);
	if (p == NULL)
		return;
	flen = strlen(file);
	/* The name may also occur earlier in the text ("hints"). */
	while (p != NULL && !((p[flen] == ':' || p[flen] == ' ') &&
	    p[flen + 1] >= '0' && p[flen + 1] <= '9'))
		p = strstr(p + 1, file);
	if (p == NULL)
		return;
	l = strtoul(p + flen + 1, &end, 10);
	if (*end != ':' || l == 0)
		return;
	reason = end + 1 + strspn(end + 1, "0123456789");
	reason += strspn(reason, " :");
	if (l > 1 && !(l == nl + 1 && !ends_nl))
		l--;
	snprintf(out, len, "%s line %lu: %s", file, l, reason);
}

static void
file_line(const char *msg, const char *file, char *out, size_t len)
{
	size_t nl = 0;
	FILE *fp;
	int c, last = '\n';

	if (file != NULL && (fp = fopen(file, "r")) != NULL) {
		while ((c = getc(fp)) != EOF) {
			nl += c == '\n';
			last = c;
		}
		fclose(fp);
	}
	cd_caview_where(msg, file, nl, last == '\n', out, len);
}

cd_rc
cd_caview_check_files(const struct cd_ctx *ctx, struct cd_err *err)
{
	struct cd_caview *v = NULL;
	struct ub_result *res = NULL;
	char *log = NULL, *line, *end, where[1024];
	bool hints;
	size_t loglen = 0;
	FILE *m;
	cd_rc rc;
	int r;

	if (ctx->o.root_hints == NULL && ctx->o.trust_anchor == NULL)
		return CD_OK;
	if ((rc = caview_new(ctx, true, &v, err)) != CD_OK)
		return rc;
	if ((m = open_memstream(&log, &loglen)) == NULL) {
		cd_caview_free(v);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	/*
	 * libunbound reads the files when it first needs them, and says
	 * what is wrong (file, line, column) only in its log: make it read
	 * them now (a name it answers itself: no traffic) and keep the
	 * first error line.
	 */
	ub_ctx_debugout(v->ub, m);
	r = ub_ctx_set_option(v->ub, "local-zone:", "certdiag.invalid. "
	    "static");
	if (r == 0 && (r = ub_resolve(v->ub, "certdiag.invalid.", 1, 1,
	    &res)) == 0)
		ub_resolve_free(res);
	ub_ctx_debugout(v->ub, stderr);
	fclose(m);
	if (r != 0) {
		line = log ? strstr(log, "error: ") : NULL;
		if (line != NULL) {
			line += 7;
			if ((end = strchr(line, '\n')) != NULL)
				*end = '\0';
		}
		hints = line && ctx->o.root_hints &&
		    strstr(line, ctx->o.root_hints) != NULL;
		file_line(line ? line : ub_strerror(r), hints ?
		    ctx->o.root_hints : ctx->o.trust_anchor, where,
		    sizeof(where));
		rc = cd_err_lib(err, CD_E_USAGE, "libunbound", r, "%s: %s",
		    hints ? "--root-hints" : ctx->o.trust_anchor ?
		    "--trust-anchor" : "--root-hints", where);
	}
	free(log);
	cd_caview_free(v);
	return rc;
}

void
cd_caview_free(struct cd_caview *v)
{
	if (v == NULL)
		return;
	ub_ctx_delete(v->ub);
	pthread_cond_destroy(&v->cv);
	pthread_mutex_destroy(&v->mu);
	free(v);
}

void
cd_caview_answer_clear(struct cd_caview_answer *a)
{
	free(a->pkt);
	free(a->addr);
	free(a->why_bogus);
	free(a->ede_text);
	memset(a, 0, sizeof(*a));
	a->ede = -1;
}

static void
fill(struct pending *p, const struct ub_result *res)
{
	struct cd_caview_answer *a = p->a;
	size_t want = p->type == 1 ? 4 : 16;
	int i;

	a->answered = true;
	a->rcode = res->bogus ? 2 : res->rcode;
	if (!p->validate)
		a->dnssec = CD_DNSSEC_UNCHECKED;
	else if (res->bogus)
		a->dnssec = CD_DNSSEC_BOGUS;
	else if (res->secure)
		a->dnssec = CD_DNSSEC_SECURE;
	else if (res->rcode == 2)
		a->dnssec = CD_DNSSEC_INDETERMINATE;
	else
		a->dnssec = CD_DNSSEC_INSECURE;
	if (res->bogus) {
		a->why_bogus = res->why_bogus ? strdup(res->why_bogus) : NULL;
		a->ede = cd_ede_from_reason(res->why_bogus);
		a->ede_text = res->why_bogus ? strdup(res->why_bogus) : NULL;
	}
	if (res->answer_packet != NULL && res->answer_len >= 12 &&
	    (a->pkt = malloc((size_t)res->answer_len)) != NULL) {
		memcpy(a->pkt, res->answer_packet, (size_t)res->answer_len);
		a->len = (size_t)res->answer_len;
		/* What the CA's resolver sends for a bogus answer. */
		if (res->bogus)
			a->pkt[3] = (unsigned char)((a->pkt[3] & 0xf0) | 2);
	}
	if ((p->type != 1 && p->type != 28) || a->rcode != 0 ||
	    !res->havedata)
		return;
	for (i = 0; res->data[i] != NULL; i++)
		;
	if ((a->addr = calloc((size_t)i + 1, sizeof(*a->addr))) == NULL)
		return;
	for (i = 0; res->data[i] != NULL; i++)
		if ((size_t)res->len[i] == want)
			memcpy(a->addr[a->naddr++], res->data[i], want);
}

/* Wait (mu held) until the reader broadcasts, or ms pass. */
static void
wait_cv(struct cd_caview *v, int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&v->cv, &v->mu, &ts);
}

/* Runs in ub_process(), under mu: the answer is the asking thread's. */
static void
done_cb(void *arg, int err, struct ub_result *res)
{
	struct pending *p = arg;

	p->done = true;
	if (err == 0 && res != NULL)
		fill(p, res);
	ub_resolve_free(res);
}

cd_rc
cd_caview_query_many(struct cd_caview *v, const char *const *names,
    size_t n, int type, int64_t deadline, struct cd_caview_answer *out,
    struct cd_err *err)
{
	return cd_caview_query_types(v, names, NULL, type, n, deadline, out,
	    err);
}

cd_rc
cd_caview_query_types(struct cd_caview *v, const char *const *names,
    const int *types, int type, size_t n, int64_t deadline,
    struct cd_caview_answer *out, struct cd_err *err)
{
	struct pending *p;
	struct pollfd pfd;
	size_t i, open = 0;
	int64_t left;
	cd_rc rc = CD_OK;
	int r;

	if ((p = calloc(n ? n : 1, sizeof(*p))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].ede = -1;
		p[i].a = &out[i];
		p[i].type = types ? types[i] : type;
		p[i].validate = v->validate;
	}
	/*
	 * Queries go in without mu: a full pipe to libunbound's thread
	 * must not stop the thread that reads its answers.  An answer
	 * may be read (under mu) before the loop below starts.
	 */
	for (i = 0; i < n; i++) {
		r = ub_resolve_async(v->ub, names[i], p[i].type, 1, &p[i],
		    done_cb, &p[i].id);
		if (r != 0) {
			rc = cd_err_lib(err, CD_E_INTERNAL, "libunbound", r,
			    "libunbound: %s", ub_strerror(r));
			pthread_mutex_lock(&v->mu);
			for (; i < n; i++)
				p[i].done = true;
			goto out;
		}
	}
	pthread_mutex_lock(&v->mu);
	pfd.fd = ub_fd(v->ub);
	pfd.events = POLLIN;
	for (;;) {
		for (open = 0, i = 0; i < n; i++)
			open += !p[i].done;
		if (open == 0 || (left = deadline - cd_now_ms()) <= 0 ||
		    cd_cancelled())
			break;
		if (left > CD_CANCEL_POLL_MS)
			left = CD_CANCEL_POLL_MS;
		if (v->reading) {
			wait_cv(v, left);
			continue;
		}
		v->reading = true;
		pthread_mutex_unlock(&v->mu);
		r = poll(&pfd, 1, (int)left);
		pthread_mutex_lock(&v->mu);
		v->reading = false;
		if (r > 0 && ub_process(v->ub) != 0)
			rc = cd_err_set(err, CD_E_INTERNAL, "libunbound: the "
			    "resolver thread failed");
		pthread_cond_broadcast(&v->cv);
		if (rc != CD_OK)
			break;
	}
out:
	/* What the deadline cut off reads as a timeout, as at the CA. */
	for (i = 0; i < n; i++)
		if (!p[i].done) {
			ub_cancel(v->ub, p[i].id);
			out[i].timed_out = true;
			out[i].dnssec = v->validate ? CD_DNSSEC_INDETERMINATE :
			    CD_DNSSEC_UNCHECKED;
		}
	pthread_mutex_unlock(&v->mu);
	free(p);
	return rc;
}

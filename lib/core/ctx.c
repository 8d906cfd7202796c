/*
 * ctx.c - library-wide initialisation, defaults, and the context that
 * carries options and the trust store to every check.
 */
#include <stdlib.h>
#include <string.h>

#include <ares.h>
#include <curl/curl.h>
#include <gnutls/gnutls.h>

#include "caview.h"
#include "certcache.h"
#include "ctx.h"
#include "sct.h"
#include "trust.h"
#include "dnsmsg.h"
#include "err.h"
#include "timeutil.h"

cd_rc
cd_ctx_new(const struct cd_opts *o, struct cd_ctx **out, struct cd_err *err)
{
	struct cd_ctx *c;
	cd_rc rc;

	if (o == NULL)
		return cd_err_set(err, CD_E_USAGE, "no options");
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if ((rc = cd_opts_copy(&c->o, o, err)) != CD_OK) {
		free(c);
		return rc;
	}
	if ((rc = cd_policy_parse(o->ignore, o->severity, &c->policy,
	    err)) != CD_OK)
		goto fail;
	if (o->dns_servers != NULL &&
	    (rc = cd_dnsservers_parse(o->dns_servers, &c->dns_csv,
	    err)) != CD_OK) {
		rc = rc == CD_E_PARSE ? CD_E_USAGE : rc;
		goto fail;
	}
	c->o.dns_servers = c->dns_csv;
	pthread_mutex_init(&c->mu, NULL);
	c->mu_ready = true;
	/* Without it every certificate is simply decoded each time. */
	(void)cd_certcache_new(&c->certcache, NULL);
	/* Files the user named are checked now, before any traffic. */
	if (!o->no_ca_view && (rc = cd_caview_check_files(c, err)) != CD_OK) {
		cd_ctx_free(c);
		return rc;
	}
	/*
	 * The shipped list may be absent (a build tree, a packager's
	 * choice): its SCTs are then shown as from unknown logs.
	 */
	if (o->ct != CD_CT_OFF && o->ct_logs != NULL &&
	    (rc = cd_ctlogs_load(o->ct_logs, &c->ctlogs, err)) != CD_OK) {
		cd_ctx_free(c);
		return rc == CD_E_NOMEM ? rc : CD_E_USAGE;
	}
	if (o->ct != CD_CT_OFF && o->ct_logs == NULL) {
		struct cd_err ignored;

		(void)cd_ctlogs_load(cd_ctlogs_default_path(), &c->ctlogs,
		    &ignored);
	}
	if (o->cafile != NULL) {
		const struct cd_trust *t;

		if ((rc = cd_ctx_trust(c, &t, err)) != CD_OK) {
			cd_ctx_free(c);
			return rc;
		}
	}
	*out = c;
	return CD_OK;
fail:
	cd_ctx_free(c);
	return rc;
}

cd_rc
cd_ctx_trust(const struct cd_ctx *ctx, const struct cd_trust **out,
    struct cd_err *err)
{
	/* Loading is the one mutation a shared context allows. */
	struct cd_ctx *c = (struct cd_ctx *)(uintptr_t)ctx;
	cd_rc rc = CD_OK;

	pthread_mutex_lock(&c->mu);
	if (!c->trust_tried) {
		c->trust_tried = true;
		cd_trust_new(c->o.cafile, &c->trust, &c->trust_err);
	}
	if (c->trust == NULL) {
		rc = c->trust_err.rc ? c->trust_err.rc : CD_E_IO;
		if (err != NULL)
			*err = c->trust_err;
	}
	*out = c->trust;
	pthread_mutex_unlock(&c->mu);
	return rc;
}

/*
 * A private root named by --root-hints alone that serves no DNSKEY: the
 * system's root key (the Internet's) can only make every answer bogus
 * there, so the view is made without validation, and says so.  A signed
 * private root needs --trust-anchor; a local copy of the real root
 * (RFC 8806) is signed and validates with the system's key.
 */
static bool
root_unsigned(struct cd_ctx *c)
{
	static const char *const root[] = {"."};
	struct cd_caview_answer a;
	struct cd_dnsmsg m;
	bool yes = false;

	if (c->caview[0] == NULL &&
	    cd_caview_new_plain(c, &c->caview[0], NULL) != CD_OK)
		return false;
	if (cd_caview_query_many(c->caview[0], root, 1, CD_DNS_T_DNSKEY,
	    cd_deadline_in(3000), &a, NULL) == CD_OK && a.answered &&
	    a.rcode == 0 && a.pkt != NULL &&
	    cd_dnsmsg_parse(a.pkt, a.len, &m, NULL) == CD_OK) {
		yes = m.nanswer == 0;
		cd_dnsmsg_clear(&m);
	}
	cd_caview_answer_clear(&a);
	return yes;
}

cd_rc
cd_ctx_caview(const struct cd_ctx *ctx, bool validate,
    struct cd_caview **out, struct cd_err *err)
{
	/* Like the trust store: made once, then only read. */
	struct cd_ctx *c = (struct cd_ctx *)(uintptr_t)ctx;
	cd_rc rc = CD_OK;

	pthread_mutex_lock(&c->mu);
	if (validate && c->caview[1] == NULL && c->o.root_hints != NULL &&
	    c->o.trust_anchor == NULL && root_unsigned(c))
		c->root_unsigned = true;
	if (c->caview[validate] == NULL)
		rc = validate && !c->root_unsigned ? cd_caview_new(c,
		    &c->caview[1], err) : cd_caview_new_plain(c,
		    &c->caview[validate], err);
	*out = c->caview[validate];
	pthread_mutex_unlock(&c->mu);
	return rc;
}

void
cd_ctx_free(struct cd_ctx *ctx)
{
	if (ctx == NULL)
		return;
	cd_caview_free(ctx->caview[0]);
	cd_caview_free(ctx->caview[1]);
	cd_trust_free(ctx->trust);
	cd_ctlogs_free(ctx->ctlogs);
	cd_certcache_free(ctx->certcache);
	if (ctx->mu_ready)
		pthread_mutex_destroy(&ctx->mu);
	cd_opts_release(&ctx->o);
	free(ctx->dns_csv);
	free(ctx);
}

cd_rc
cd_global_init(struct cd_err *err)
{
	int r;

	if ((r = gnutls_global_init()) < 0)
		return cd_err_lib(err, CD_E_INTERNAL, "gnutls", r,
		    "gnutls: %s", gnutls_strerror(r));
	if ((r = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS)
		return cd_err_lib(err, CD_E_INTERNAL, "c-ares", r,
		    "c-ares: %s", ares_strerror(r));
	/* libcurl is loaded and initialised on first use (curl_dl.c). */
	return CD_OK;
}

void
cd_global_cleanup(void)
{
	curl_global_cleanup();
	ares_library_cleanup();
	gnutls_global_deinit();
}

const char *
cd_version(void)
{
	return CD_VERSION_STR;
}

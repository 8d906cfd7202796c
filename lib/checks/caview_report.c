/*
 * caview_report.c - what the CA's view adds to a report: how it was
 * made, and DNSSEC failures told as a DNS operator can fix them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caview.h"
#include "ctx.h"
#include "dnsmsg.h"
#include "jsonutil.h"
#include "report.h"
#include "timeutil.h"

void
cd_caview_describe(struct cd_report *r, const struct cd_ctx *ctx)
{
	static const char *const modes[] = {"recursive", "stub", "off"};
	enum cd_caview_mode m = cd_caview_mode_of(ctx);
	json_t *o = json_object();

	cd_json_setk(o, CD_K_MODE, cd_json_str(modes[m]));
	if (m == CD_CAVIEW_RECURSIVE) {
		cd_json_setk(o, CD_K_ROOT_HINTS,
		    cd_json_str(cd_caview_hints_file(ctx)));
		cd_json_setk(o, CD_K_TRUST_ANCHOR,
		    cd_json_str(cd_caview_anchor_file(ctx)));
		cd_json_setk(o, CD_K_VALIDATION, json_boolean(strcmp(
		    cd_caview_anchor_file(ctx), "none") != 0));
	} else if (m == CD_CAVIEW_STUB) {
		cd_json_setk(o, CD_K_DNS_SERVER,
		    cd_json_str(ctx->o.dns_servers));
		cd_json_setk(o, CD_K_NOTE, cd_json_str("--dns-server stands "
		    "in for the CA's resolver: DNSSEC is only what that "
		    "server validates (its AD bit), and nameserver faults it "
		    "hides stay hidden"));
	} else {
		cd_json_setk(o, CD_K_NOTE, cd_json_str("--no-ca-view: blind to "
		    "DNSSEC and nameserver faults"));
	}
	if (m == CD_CAVIEW_RECURSIVE && ctx->root_unsigned)
		cd_json_setk(o, CD_K_NOTE, cd_json_str("the root of "
		    "--root-hints serves no DNSKEY: made without DNSSEC "
		    "validation (give --trust-anchor for a signed private "
		    "root)"));
	else if (m == CD_CAVIEW_RECURSIVE && strcmp(cd_caview_anchor_file(ctx),
	    "none") == 0)
		cd_json_setk(o, CD_K_NOTE, cd_json_str("--trust-anchor=none: "
		    "made without DNSSEC validation, which the CA always "
		    "does"));
	cd_json_setk(r->detail, CD_K_CA_VIEW, o);
	/*
	 * Pointing a test lab or a monitoring check at one server is
	 * common and deliberate: the stub mode is a note (a problem line
	 * only with -v); turning the view off is a choice worth a line.
	 */
	if (m == CD_CAVIEW_STUB && ctx->o.verbose > 0)
		cd_report_add(r, CD_P_CA_VIEW_STUB, "to see DNS as the CA does, "
		    "drop --dns-server (or add --root-hints for a private "
		    "root)", "--dns-server %s stands in for the CA's "
		    "resolver: DNSSEC is only what that server validates, and "
		    "nameserver faults it hides stay hidden", ctx->o.dns_servers);
	else if (m == CD_CAVIEW_OFF)
		cd_report_add(r, CD_P_CA_VIEW_OFF, NULL, "--no-ca-view: the "
		    "prediction comes from your own resolver and is blind to "
		    "DNSSEC and nameserver faults that make the CA refuse");
}

/* "for key example.com." in Unbound's reason names the zone. */
static void
zone_of(const char *why, const char *name, char *out, size_t len)
{
	const char *k = why ? strstr(why, " for key ") : NULL;
	size_t n;

	if (k == NULL) {
		snprintf(out, len, "%s", name);
		return;
	}
	k += 9;
	n = strcspn(k, " ");
	if (n > 1 && k[n - 1] == '.')
		n--;
	snprintf(out, len, "%.*s", (int)n, k);
}

void
cd_caview_bogus(struct cd_report *r, const char *type, const char *name,
    int ede, const char *why_bogus)
{
	char zone[256], ebuf[48];
	const char *what, *fix;

	zone_of(why_bogus, name, zone, sizeof(zone));
	switch (ede) {
	case 7:
	case 8:
		what = ede == 7 ? "its signatures have expired" :
		    "its signatures are not valid yet";
		fix = "sign the zone again and make sure re-signing runs "
		    "(automatic signing in the DNS server or the signer's "
		    "schedule), and that the signer's clock is right";
		break;
	case 9:
		what = "the parent zone has a DS record that matches no "
		    "DNSKEY the zone serves (a DS left at the registrar after "
		    "moving DNS providers or turning DNSSEC off)";
		fix = "remove the DS record at your registrar, or sign the "
		    "zone again with the key that DS names";
		break;
	case 10:
		what = "records are served without signatures";
		fix = "sign the zone again, every record type included (CAA "
		    "too); a DNS host whose signer skips some types must fix "
		    "it or the DS must go";
		break;
	case 12:
		what = "a negative answer has no NSEC/NSEC3 proof";
		fix = "sign the zone again so that empty and non-existent "
		    "names are proven (NSEC or NSEC3)";
		break;
	case 1:
	case 2:
		what = "it uses an algorithm or digest the CA's resolver does "
		    "not support";
		fix = "roll to ECDSA P-256 (algorithm 13) with a SHA-256 DS";
		break;
	default:
		what = "its DNSSEC chain of trust is broken";
		fix = "sign the zone again, or remove the DS record at your "
		    "registrar";
		break;
	}
	cd_report_add(r, CD_P_DNSSEC_BOGUS, fix, "DNSSEC validation of %s %s "
	    "fails in zone %s (%s): %s%s%s", name, type, zone,
	    cd_ede_summary(ede, ebuf, sizeof(ebuf)), what,
	    why_bogus ? "; the validator says: " : "",
	    why_bogus ? why_bogus : "");
}

/*
 * idn.h - internationalised names (libidn2, IDNA2008 with UTS#46
 * non-transitional processing, as browsers and CAs do).
 */
#ifndef CD_IDN_H
#define CD_IDN_H

#include "cd_internal.h"

/*
 * Host name as the user typed it (U-labels or A-labels, any case) to the
 * lower-case A-label form used on the wire.  IP literals pass unchanged.
 * *out: caller frees.  CD_E_PARSE with libidn2's reason otherwise.
 */
cd_rc cd_idn_to_ascii(const char *name, char **out, struct cd_err *err);

/* A-label form to Unicode for display; *out caller frees. */
cd_rc cd_idn_to_unicode(const char *name, char **out, struct cd_err *err);

/* True when name has an A-label ("xn--") or non-ASCII label. */
bool cd_idn_is_idn(const char *name);

#endif

/*
 * starttls.h - the plaintext preamble some services speak before TLS
 * (--starttls), on a connected socket, before cd_tls_fetch().
 */
#ifndef CD_STARTTLS_H
#define CD_STARTTLS_H

#include <stdbool.h>
#include <stdint.h>

#include "cd_internal.h"

/*
 * Speak proto's preamble on fd (connected, non-blocking) up to the point
 * where the next byte on the wire is our TLS ClientHello.  domain is the
 * server name (XMPP's stream "to").  Every read is bound by deadline and
 * by the caps of starttls_conv.h.
 *
 * CD_OK: go on with the handshake.  CD_E_TIMEOUT: the deadline passed
 * (err names what we waited for).  CD_E_TLS: the exchange failed;
 * *refused is true when the server said no (err quotes it, escaped),
 * false when it did not speak the protocol.  CD_E_NOMEM.
 */
cd_rc cd_starttls(int fd, enum cd_starttls proto, const char *domain,
    int64_t deadline, bool *refused, struct cd_err *err);

#endif

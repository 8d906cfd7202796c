/* reserved.h - addresses the CA will not connect to. */
#ifndef CD_RESERVED_H
#define CD_RESERVED_H

#include "cd_internal.h"

/*
 * The special-purpose block ip (a literal) falls in, as the CA names it
 * ("[RFC1918]: Private-Use"), or NULL for a public address or a string
 * that is no address.  Static storage.
 */
const char *cd_ip_reserved(const char *ip);

#endif

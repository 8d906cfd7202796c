/*
 * curl_dl.h - libcurl, loaded on first use (see curl_dl.c).  The rest of
 * the library calls libcurl's own functions as usual.
 */
#ifndef CD_CURL_DL_H
#define CD_CURL_DL_H

#include "err.h"

/* Load libcurl if not yet done; CD_E_INTERNAL with the reason if it fails. */
cd_rc cd_curl_ready(struct cd_err *err);

#endif

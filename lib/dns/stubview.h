/*
 * stubview.h - what the user's own resolver (resolv.conf or
 * --dns-server) says a name's addresses are, asked beside the CA's view
 * so that the two can be compared (split-horizon DNS, a stale cache).
 */
#ifndef CD_STUBVIEW_H
#define CD_STUBVIEW_H

#include <stdint.h>

struct cd_ctx;
struct cd_stubview;

/* Start the A and AAAA lookups in a thread; NULL when it cannot start. */
struct cd_stubview *cd_stubview_start(const struct cd_ctx *ctx,
    const char *name, int64_t deadline);

/*
 * Wait for it.  *aaaa and *a get the sorted addresses ("192.0.2.1,
 * 192.0.2.2"; "" for none) or NULL when that lookup got no answer;
 * the caller frees them.  Frees the job.
 */
void cd_stubview_join(struct cd_stubview *s, char **aaaa, char **a);

/* Sorted, comma-separated text of n raw addresses of one family. */
char *cd_addr_list(const unsigned char (*addr)[16], size_t n, int family);

#endif

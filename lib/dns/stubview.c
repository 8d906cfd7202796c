/* stubview.c - the user's resolver's addresses for a name, in a thread. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg.h"
#include "buf.h"
#include "ctx.h"
#include "dns.h"
#include "stubview.h"

struct cd_stubview {
	struct cd_bg bg;
	const struct cd_ctx *ctx;
	char *name;
	int64_t deadline;
	char *list[2];		/* AAAA, A */
};

char *
cd_addr_list(const unsigned char (*addr)[16], size_t n, int family)
{
	char **v, *s;
	size_t i;

	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((v[i] = malloc(46)) == NULL ||
		    inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr[i], v[i],
		    46) == NULL) {
			n = i + (v[i] != NULL);
			s = NULL;
			goto out;
		}
	}
	s = cd_join_sorted(v, n);
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return s;
}

static void *
run(void *arg)
{
	struct cd_stubview *s = arg;
	struct cd_addrs got = {0};
	struct cd_dns *d = NULL;
	struct cd_err e;
	char **v;
	size_t i;
	int k;

	if (cd_dns_new(s->ctx->o.dns_servers, s->ctx->o.timeout_ms, &d,
	    NULL) != CD_OK)
		return NULL;
	for (k = 0; k < 2; k++) {
		memset(&e, 0, sizeof(e));
		if (cd_dns_addrs(d, s->name, k == 0 ? 6 : 4, 0, s->deadline,
		    &got, &e) != CD_OK) {
			/* "No such address" is an answer; no reply is not. */
			if (e.rc == CD_E_DNS)
				s->list[k] = strdup("");
			continue;
		}
		if ((v = calloc(got.n + 1, sizeof(*v))) != NULL) {
			for (i = 0; i < got.n; i++)
				v[i] = got.a[i].text;
			s->list[k] = cd_join_sorted(v, got.n);
			free(v);
		}
		cd_addrs_clear(&got);
	}
	cd_dns_free(d);
	return NULL;
}

struct cd_stubview *
cd_stubview_start(const struct cd_ctx *ctx, const char *name,
    int64_t deadline)
{
	struct cd_stubview *s;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->name = strdup(name)) == NULL) {
		free(s);
		return NULL;
	}
	s->ctx = ctx;
	s->deadline = deadline;
	cd_bg_run(&s->bg, run, s);
	return s;
}

void
cd_stubview_join(struct cd_stubview *s, char **aaaa, char **a)
{
	*aaaa = *a = NULL;
	if (s == NULL)
		return;
	cd_bg_wait(&s->bg);
	*aaaa = s->list[0];
	*a = s->list[1];
	free(s->name);
	free(s);
}

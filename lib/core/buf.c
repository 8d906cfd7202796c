/* buf.c - capped growable buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
cd_buf_init(struct cd_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
cd_buf_free(struct cd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

cd_rc
cd_buf_add(struct cd_buf *b, const void *p, size_t n)
{
	size_t need, ncap;
	char *nd;

	if (n > b->max || b->len > b->max - n) {
		cd_buf_free(b);
		return CD_E_PARSE;
	}
	need = b->len + n + 1;
	if (need > b->cap) {
		ncap = b->cap ? b->cap : 64;
		while (ncap < need)
			ncap *= 2;
		if ((nd = realloc(b->data, ncap)) == NULL) {
			cd_buf_free(b);
			return CD_E_NOMEM;
		}
		b->data = nd;
		b->cap = ncap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return CD_OK;
}

cd_rc
cd_buf_addf(struct cd_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256], *big = NULL;
	int n;
	cd_rc rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return CD_E_INTERNAL;
	if ((size_t)n < sizeof(small))
		return cd_buf_add(b, small, (size_t)n);
	if ((big = malloc((size_t)n + 1)) == NULL)
		return CD_E_NOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = cd_buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

char *
cd_buf_take(struct cd_buf *b)
{
	char *d = b->data;

	if (d == NULL)
		d = calloc(1, 1);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return d;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
cd_join_sorted(char **v, size_t n)
{
	struct cd_buf b;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == NULL)
			return NULL;
	qsort(v, n, sizeof(*v), cmp_str);
	cd_buf_init(&b, (size_t)1 << 24);
	for (i = 0; i < n; i++)
		if (cd_buf_addf(&b, "%s%s", i ? ", " : "", v[i]) != CD_OK) {
			cd_buf_free(&b);
			return NULL;
		}
	return cd_buf_take(&b);
}

/*
 * exporter_http.c - the exporter's HTTP side (libmicrohttpd): /probe,
 * /metrics and a page at / that lists the modules.
 *
 * A thread per connection: a probe blocks its connection's thread until
 * its answer, and the connection limit bounds the threads; the probes
 * themselves are capped separately (exporter_probe.c).  The deadline of
 * a probe is blackbox_exporter's: Prometheus's scrape timeout (its
 * X-Prometheus-Scrape-Timeout-Seconds header, 120 s without one) less
 * --timeout-offset, or the module's timeout when that is shorter.
 */
#include "config.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exporter.h"

struct exp_http {
	struct MHD_Daemon *d;
	MHD_socket quiesced;	/* the listening socket, ours once quiesced */
	double offset;
	pthread_mutex_t mu;
	unsigned busy;
	bool stopping;
};

/*
 * Seconds an idle connection stays open.  Prometheus keeps one open per
 * target it scrapes at once, each a thread here: idle ones go after a
 * while (Prometheus reconnects), so --max-connections is not used up.
 */
#define IDLE_S 60u

static const char prom_type[] = "text/plain; version=0.0.4; charset=utf-8";

static enum MHD_Result
answer(struct MHD_Connection *c, unsigned status, const char *type,
    char *body, size_t len, bool close_after)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (close_after)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A one-line reason, as blackbox_exporter answers a bad request. */
static enum MHD_Result
error_line(struct MHD_Connection *c, unsigned status, bool close_after,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum MHD_Result
error_line(struct MHD_Connection *c, unsigned status, bool close_after,
    const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return MHD_NO;
	return answer(c, status, "text/plain; charset=utf-8", s, (size_t)n,
	    close_after);
}

/* Escape s for HTML text and attribute values. */
static void
put_html(FILE *fp, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*s, fp);
		}
}

static void
index_page(FILE *fp, const struct exp_config *cfg)
{
	size_t i;

	fprintf(fp, "<!DOCTYPE html>\n<html><head><title>certdiag-exporter"
	    "</title></head><body>\n<h1>certdiag-exporter %s</h1>\n"
	    "<p><a href=\"metrics\">Metrics</a></p>\n<h2>Modules</h2>\n"
	    "<table>\n<tr><th>module</th><th>prober</th><th>timeout</th>"
	    "</tr>\n", PACKAGE_VERSION);
	for (i = 0; cfg != NULL && i < cfg->nmods; i++) {
		fputs("<tr><td>", fp);
		put_html(fp, cfg->mods[i].name);
		fprintf(fp, "</td><td>%s</td><td>%gs</td></tr>\n",
		    cfg->mods[i].prober->name, cfg->mods[i].timeout);
	}
	fputs("</table>\n<p>Probe: <code>/probe?module=NAME&amp;target="
	    "TARGET</code></p>\n</body></html>\n", fp);
}

/* s unchanged by the display escape: UTF-8 without control characters. */
static bool
displayable(const char *s)
{
	char *e = cd_escape_display(s, strlen(s));
	bool same = e != NULL && strcmp(e, s) == 0;

	free(e);
	return same;
}

/*
 * blackbox_exporter's deadline (*timeout); false when the header is no
 * number.  *answer_by may be later: when the module's timeout is the
 * shorter, the library's own deadline ends the check with its report
 * (a timeout problem among the others), which is worth a moment's wait
 * as long as Prometheus still waits too.
 */
static bool
probe_timeout(struct MHD_Connection *c, const struct exp_module *m,
    double offset, double *timeout, double *answer_by)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "X-Prometheus-Scrape-Timeout-Seconds");
	double t = 0, max;
	char *end;

	if (h != NULL && *h != '\0') {
		t = strtod(h, &end);
		if (end == h || *end != '\0' || t != t)
			return false;
	}
	if (t == 0)
		t = 120;
	max = t - offset;
	if ((m->timeout < max && m->timeout > 0) || max < 0) {
		*timeout = m->timeout;
		*answer_by = max > m->timeout + 1 ? m->timeout + 1 :
		    max > m->timeout ? max : m->timeout;
	} else
		*timeout = *answer_by = max;
	return true;
}

static enum MHD_Result
probe(struct exp_http *h, struct MHD_Connection *c, struct exp_config *cfg,
    FILE *fp, double start, bool *bad)
{
	const char *name = MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, "module");
	const char *target = MHD_lookup_connection_value(c,
	    MHD_GET_ARGUMENT_KIND, "target");
	const struct exp_module *m;
	double timeout, answer_by;

	*bad = true;
	if (name == NULL || *name == '\0')
		return error_line(c, MHD_HTTP_BAD_REQUEST, false,
		    "Module parameter is missing\n");
	if ((m = exp_config_find(cfg, name)) == NULL) {
		exp_metrics_unknown_module();
		return error_line(c, MHD_HTTP_BAD_REQUEST, false,
		    "Unknown module \"%s\"\n", name);
	}
	if (target == NULL || *target == '\0')
		return error_line(c, MHD_HTTP_BAD_REQUEST, false,
		    "Target parameter is missing\n");
	/*
	 * No host name holds a control character or bytes that are not
	 * UTF-8, and the exposition's labels could not carry them as given.
	 */
	if (!displayable(target))
		return error_line(c, MHD_HTTP_BAD_REQUEST, false,
		    "Target parameter is not UTF-8 text\n");
	if (!probe_timeout(c, m, h->offset, &timeout, &answer_by))
		return error_line(c, MHD_HTTP_INTERNAL_SERVER_ERROR, false,
		    "Failed to parse timeout from Prometheus header: %s\n",
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "X-Prometheus-Scrape-Timeout-Seconds"));
	*bad = false;
	exp_probe_run(cfg, m, target, start, timeout, answer_by, fp);
	return MHD_YES;
}

static enum MHD_Result
route(struct exp_http *h, struct MHD_Connection *c, const char *url)
{
	struct exp_config *cfg = exp_config_get();
	double start = exp_now();
	const char *type = prom_type;
	enum MHD_Result ret = MHD_YES;
	char *buf = NULL;
	size_t len = 0;
	bool bad = false;
	FILE *fp;

	if ((fp = open_memstream(&buf, &len)) == NULL) {
		exp_config_put(cfg);
		return MHD_NO;
	}
	if (strcmp(url, "/probe") == 0)
		ret = probe(h, c, cfg, fp, start, &bad);
	else if (strcmp(url, "/metrics") == 0)
		exp_metrics_write(fp, cfg);
	else if (strcmp(url, "/") == 0) {
		index_page(fp, cfg);
		type = "text/html; charset=utf-8";
	} else {
		bad = true;
		ret = error_line(c, MHD_HTTP_NOT_FOUND, false, "Not Found\n");
	}
	exp_config_put(cfg);
	if (fclose(fp) != 0) {
		free(buf);
		return MHD_NO;
	}
	if (bad) {
		free(buf);
		return ret;
	}
	return answer(c, MHD_HTTP_OK, type, buf, len, false);
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct exp_http *h = cls;
	enum MHD_Result ret;
	bool stopping;

	static int seen;

	(void)version;
	(void)upload;
	/*
	 * The first call has the headers only: answering then, before the
	 * request is read to its end, would make MHD close the connection,
	 * and Prometheus keeps its connections open between scrapes.
	 */
	if (*con_cls == NULL) {
		*con_cls = &seen;
		return MHD_YES;
	}
	/* A body is read and dropped: nothing here takes one. */
	if (*upload_size != 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return error_line(c, MHD_HTTP_METHOD_NOT_ALLOWED, true,
		    "Method %s not allowed\n", method);
	pthread_mutex_lock(&h->mu);
	stopping = h->stopping;
	if (!stopping)
		h->busy++;
	pthread_mutex_unlock(&h->mu);
	/* A kept-alive connection asking after SIGTERM: no new probe. */
	if (stopping)
		return error_line(c, MHD_HTTP_SERVICE_UNAVAILABLE, true,
		    "Shutting down\n");
	ret = route(h, c, url);
	pthread_mutex_lock(&h->mu);
	h->busy--;
	pthread_mutex_unlock(&h->mu);
	return ret;
}

/* "ADDR:PORT", "[V6]:PORT" or ":PORT" to host (NULL: any) and port. */
static bool
split(char *s, char **host, char **port)
{
	char *colon = strrchr(s, ':');

	if (colon == NULL || colon[1] == '\0')
		return false;
	*colon = '\0';
	*port = colon + 1;
	if (*s == '[') {
		if (colon[-1] != ']')
			return false;
		colon[-1] = '\0';
		s++;
	}
	*host = *s ? s : NULL;
	return true;
}

struct exp_http *
exp_http_start(const char *addr, unsigned conns, double offset, char **msg)
{
	struct addrinfo hints, *ai = NULL;
	struct exp_http *h = NULL;
	char *copy = strdup(addr), *host, *port, *end;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC;
	unsigned long p;
	int rc;

	*msg = NULL;
	if (copy == NULL || (h = calloc(1, sizeof(*h))) == NULL)
		goto fail;
	h->offset = offset;
	h->quiesced = MHD_INVALID_SOCKET;
	pthread_mutex_init(&h->mu, NULL);
	if (!split(copy, &host, &port) ||
	    (p = strtoul(port, &end, 10)) > 65535 || *end != '\0') {
		if (asprintf(msg, "--listen '%s': want ADDR:PORT, [V6ADDR]:PORT "
		    "or :PORT", addr) < 0)
			*msg = NULL;
		goto fail;
	}
	if (host == NULL) {
		/* Every address, IPv6 and IPv4; IPv4 alone without IPv6. */
		h->d = MHD_start_daemon(flags | MHD_USE_DUAL_STACK,
		    (uint16_t)p, NULL, NULL, handler, h,
		    MHD_OPTION_CONNECTION_LIMIT, conns,
		    MHD_OPTION_CONNECTION_TIMEOUT, IDLE_S, MHD_OPTION_END);
		if (h->d == NULL)
			h->d = MHD_start_daemon(flags, (uint16_t)p, NULL, NULL,
			    handler, h, MHD_OPTION_CONNECTION_LIMIT, conns,
			    MHD_OPTION_CONNECTION_TIMEOUT, IDLE_S,
			    MHD_OPTION_END);
	} else {
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
		if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
			if (asprintf(msg, "--listen '%s': %s", addr,
			    gai_strerror(rc)) < 0)
				*msg = NULL;
			goto fail;
		}
		h->d = MHD_start_daemon(flags | (ai->ai_family == AF_INET6 ?
		    MHD_USE_IPv6 : 0), (uint16_t)p, NULL, NULL, handler, h,
		    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		    MHD_OPTION_CONNECTION_LIMIT, conns,
		    MHD_OPTION_CONNECTION_TIMEOUT, IDLE_S, MHD_OPTION_END);
		freeaddrinfo(ai);
	}
	if (h->d == NULL) {
		if (asprintf(msg, "--listen '%s': cannot listen there (in use, "
		    "or not an address of this host)", addr) < 0)
			*msg = NULL;
		goto fail;
	}
	free(copy);
	return h;
fail:
	if (*msg == NULL)
		*msg = strdup("out of memory");
	free(copy);
	free(h);
	return NULL;
}

void
exp_http_quiesce(struct exp_http *h)
{
	pthread_mutex_lock(&h->mu);
	h->stopping = true;
	pthread_mutex_unlock(&h->mu);
	h->quiesced = MHD_quiesce_daemon(h->d);
}

unsigned
exp_http_busy(struct exp_http *h)
{
	unsigned n;

	pthread_mutex_lock(&h->mu);
	n = h->busy;
	pthread_mutex_unlock(&h->mu);
	return n;
}

void
exp_http_stop(struct exp_http *h)
{
	MHD_stop_daemon(h->d);
	if (h->quiesced != MHD_INVALID_SOCKET)
		close(h->quiesced);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

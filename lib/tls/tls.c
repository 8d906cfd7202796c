/* tls.c - client handshake with SNI under a deadline. */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "chain.h"
#include "err.h"
#include "net.h"
#include "timeutil.h"
#include "tls.h"

/*
 * Accept everything a server may still run, old protocols included:
 * this is a diagnostic client, and a server that only speaks TLS 1.0
 * deserves a report, not a handshake failure.
 */
#define CD_TLS_PRIORITY "NORMAL:%COMPAT:+VERS-TLS1.1:+VERS-TLS1.0"

/* GnuTLS's own default for the key size it will verify. */
#define CD_TLS_MAX_BITS 16384
/* 1 MiB: room for a 10,000-name certificate plus its chain. */
#define CD_TLS_MAX_HANDSHAKE (1024 * 1024)

void
cd_tls_info_clear(struct cd_tls_info *ti)
{
	size_t i;

	for (i = 0; i < ti->ncerts; i++)
		free(ti->certs[i].data);
	free(ti->certs);
	free(ti->ocsp.data);
	memset(ti, 0, sizeof(*ti));
}

static bool
der_copy(struct cd_der *d, const gnutls_datum_t *src)
{
	if ((d->data = malloc(src->size ? src->size : 1)) == NULL)
		return false;
	memcpy(d->data, src->data, src->size);
	d->len = src->size;
	return true;
}

static cd_rc
capture(gnutls_session_t s, struct cd_tls_info *out, struct cd_err *err)
{
	const gnutls_datum_t *peers;
	gnutls_datum_t resp;
	unsigned n = 0, i;
	const char *v, *cs;

	v = gnutls_protocol_get_name(gnutls_protocol_get_version(s));
	if (v && strncmp(v, "TLS", 3) == 0)
		snprintf(out->version, sizeof(out->version), "TLSv%s", v + 3);
	else
		snprintf(out->version, sizeof(out->version), "%s",
		    v ? v : "unknown");
	cs = gnutls_ciphersuite_get(s);
	snprintf(out->cipher, sizeof(out->cipher), "%s", cs ? cs : "unknown");
	if ((peers = gnutls_certificate_get_peers(s, &n)) == NULL || n == 0)
		return cd_err_set(err, CD_E_TLS, "the server sent no "
		    "certificate");
	if ((out->certs = calloc(n, sizeof(*out->certs))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if (!der_copy(&out->certs[i], &peers[i]))
			return cd_err_set(err, CD_E_NOMEM, "out of memory");
		out->ncerts++;
	}
	if (gnutls_alpn_get_selected_protocol(s, &resp) == 0)
		snprintf(out->alpn, sizeof(out->alpn), "%.*s", (int)resp.size,
		    (const char *)resp.data);
	if (gnutls_ocsp_status_request_get(s, &resp) == 0 && resp.size > 0 &&
	    !der_copy(&out->ocsp, &resp))
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	return CD_OK;
}

static cd_rc
handshake(gnutls_session_t s, int fd, int64_t deadline, struct cd_err *err)
{
	int r;
	cd_rc rc;

	for (;;) {
		if (cd_deadline_left_ms(deadline) == 0)
			return cd_err_set(err, CD_E_TIMEOUT, "TLS handshake: "
			    "not finished before the deadline");
		r = gnutls_handshake(s);
		if (r == GNUTLS_E_SUCCESS)
			return CD_OK;
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED &&
		    gnutls_error_is_fatal(r))
			break;
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
			continue;	/* a warning alert: go on */
		rc = cd_net_wait(fd, gnutls_record_get_direction(s) == 1,
		    deadline, NULL);
		if (rc != CD_OK)
			return cd_err_set(err, CD_E_TIMEOUT, "TLS handshake: "
			    "no answer from the server before the deadline");
	}
	if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
		return cd_err_lib(err, CD_E_TLS, "gnutls", r, "TLS handshake: "
		    "the server sent alert '%s'",
		    gnutls_alert_get_name(gnutls_alert_get(s)));
	if (r == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
	    r == GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
		return cd_err_lib(err, CD_E_TLS, "gnutls", r, "TLS handshake: "
		    "the server does not speak TLS here (%s)",
		    gnutls_strerror(r));
	return cd_err_lib(err, CD_E_TLS, "gnutls", r, "TLS handshake: %s",
	    gnutls_strerror(r));
}

static bool
is_ip(const char *s)
{
	unsigned char b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

/*
 * The priority strings parsed once per process: parsing one costs about
 * as much as the rest of setting up a session, and a batch sets up one
 * per target.  GnuTLS lets sessions share a parsed priority; the few
 * strings here (the constants of this file) are kept until exit.
 */
#define PRIO_CACHE 8
static pthread_mutex_t prio_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	const char *text;
	gnutls_priority_t p;
} prio_cache[PRIO_CACHE];

static int
priority_set(gnutls_session_t s, const char *text)
{
	gnutls_priority_t p = NULL;
	size_t i;

	pthread_mutex_lock(&prio_mu);
	for (i = 0; i < PRIO_CACHE && prio_cache[i].text != NULL; i++)
		if (prio_cache[i].text == text) {
			p = prio_cache[i].p;
			break;
		}
	if (p == NULL && i < PRIO_CACHE &&
	    gnutls_priority_init(&prio_cache[i].p, text, NULL) >= 0) {
		prio_cache[i].text = text;
		p = prio_cache[i].p;
	}
	pthread_mutex_unlock(&prio_mu);
	if (p != NULL)
		return gnutls_priority_set(s, p);
	return gnutls_priority_set_direct(s, text, NULL);
}

/* A client session on fd offering what priority allows, with SNI. */
static cd_rc
session_new(int fd, const char *sni, const char *priority,
    gnutls_certificate_credentials_t *cred, gnutls_session_t *s,
    struct cd_err *err)
{
	int r;

	if ((r = gnutls_certificate_allocate_credentials(cred)) < 0 ||
	    (r = gnutls_init(s, GNUTLS_CLIENT | GNUTLS_NONBLOCK)) < 0) {
		*s = NULL;
		return cd_err_lib(err, CD_E_NOMEM, "gnutls", r, "gnutls: %s",
		    gnutls_strerror(r));
	}
	/*
	 * A diagnostic must see what the server sends: GnuTLS keeps only
	 * the first 16 certificates of a chain and refuses a handshake
	 * message over 128 KiB (a certificate with thousands of names).
	 * The chain analysis stops at CD_CHAIN_MAX anyway.
	 */
	gnutls_certificate_set_verify_limits(*cred, CD_TLS_MAX_BITS,
	    CD_CHAIN_MAX);
	gnutls_handshake_set_max_packet_length(*s, CD_TLS_MAX_HANDSHAKE);
	if ((r = priority_set(*s, priority)) < 0 ||
	    (r = gnutls_credentials_set(*s, GNUTLS_CRD_CERTIFICATE,
	    *cred)) < 0 ||
	    (r = gnutls_ocsp_status_request_enable_client(*s, NULL, 0,
	    NULL)) < 0)
		return cd_err_lib(err, CD_E_TLS, "gnutls", r, "gnutls: %s",
		    gnutls_strerror(r));
	if (sni != NULL && !is_ip(sni) &&
	    (r = gnutls_server_name_set(*s, GNUTLS_NAME_DNS, sni,
	    strlen(sni))) < 0)
		return cd_err_lib(err, CD_E_TLS, "gnutls", r, "SNI '%s': %s",
		    sni, gnutls_strerror(r));
	gnutls_transport_set_int(*s, fd);
	return CD_OK;
}

/* The client certificate, loaded for the session's retrieve callback. */
#define CD_TLS_CLIENT_MAX 16
struct client_id {
	gnutls_pcert_st pcert[CD_TLS_CLIENT_MAX];
	unsigned npcert;
	gnutls_privkey_t key;
};

/*
 * GnuTLS alone sends nothing when the server's list of client CAs does
 * not name the certificate's issuer: a diagnostic sends it all the same,
 * so that the server's refusal, and its reason, can be seen.
 */
static int
client_retrieve(gnutls_session_t s, const gnutls_datum_t *ca, int nca,
    const gnutls_pk_algorithm_t *algos, int nalgos, gnutls_pcert_st **pcert,
    unsigned *npcert, gnutls_privkey_t *key)
{
	struct client_id *id = gnutls_session_get_ptr(s);

	(void)ca;
	(void)nca;
	(void)algos;
	(void)nalgos;
	*pcert = id->pcert;
	*npcert = id->npcert;
	*key = id->key;
	return 0;
}

static void
client_id_clear(struct client_id *id)
{
	unsigned i;

	for (i = 0; i < id->npcert; i++)
		gnutls_pcert_deinit(&id->pcert[i]);
	id->npcert = 0;
	if (id->key)
		gnutls_privkey_deinit(id->key);
	id->key = NULL;
}

static cd_rc
client_creds(gnutls_session_t s, gnutls_certificate_credentials_t cred,
    const struct cd_tls_client *client, struct client_id *id,
    struct cd_err *err)
{
	const char *kf;
	gnutls_datum_t d = {0};
	int r;

	if (client == NULL || client->cert_file == NULL)
		return CD_OK;
	kf = client->key_file ? client->key_file : client->cert_file;
	id->npcert = CD_TLS_CLIENT_MAX;
	if ((r = gnutls_pcert_list_import_x509_file(id->pcert, &id->npcert,
	    client->cert_file, GNUTLS_X509_FMT_PEM, NULL, NULL, 0)) < 0) {
		id->npcert = 0;
		return cd_err_lib(err, r == GNUTLS_E_FILE_ERROR ? CD_E_IO :
		    CD_E_PARSE, "gnutls", r, "--client-cert %s: %s",
		    client->cert_file, gnutls_strerror(r));
	}
	if ((r = gnutls_load_file(kf, &d)) < 0)
		return cd_err_lib(err, CD_E_IO, "gnutls", r, "--client-key "
		    "%s: cannot read the file", kf);
	if ((r = gnutls_privkey_init(&id->key)) < 0 ||
	    (r = gnutls_privkey_import_x509_raw(id->key, &d,
	    GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
		gnutls_free(d.data);
		return cd_err_lib(err, CD_E_PARSE, "gnutls", r, "--client-key "
		    "%s: not a PEM private key (%s)", kf, gnutls_strerror(r));
	}
	gnutls_free(d.data);
	gnutls_session_set_ptr(s, id);
	gnutls_certificate_set_retrieve_function2(cred, client_retrieve);
	return CD_OK;
}

/* How the server ends a connection it will not serve without a client
 * certificate it accepts: an alert, or a bare close. */
static bool
refusal(int r)
{
	return r == GNUTLS_E_FATAL_ALERT_RECEIVED ||
	    r == GNUTLS_E_PREMATURE_TERMINATION || r == GNUTLS_E_PULL_ERROR;
}

static void
note_refusal(gnutls_session_t s, int r, struct cd_tls_info *out)
{
	if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
		out->client_alert = (int)gnutls_alert_get(s);
	else
		out->client_closed = true;
}

/*
 * TLS 1.3: the client's certificate follows its Finished, so the server
 * refuses it (or its absence) after the client's handshake is done.
 * Wait for that alert a while: twice the handshake (one round trip
 * more, and the handshake took two), at least REFUSAL_MIN_MS for a
 * scheduler's jitter, within the deadline.  A server content to wait
 * for a request sends nothing, which is consent.  Every check against
 * a server that asks for a certificate pays this wait, so it is short.
 */
#define REFUSAL_MIN_MS 100
#define REFUSAL_SENT_MIN_MS 200
#define HTTP_ANSWER_MIN_MS 100
static bool
await_refusal(gnutls_session_t s, int fd, int64_t until,
    struct cd_tls_info *out, char *buf, size_t len, size_t *got)
{
	ssize_t n;

	for (;;) {
		n = gnutls_record_recv(s, buf + *got, len - *got - 1);
		if (n > 0) {
			*got += (size_t)n;
			buf[*got] = '\0';
			if (*got + 1 >= len)
				return true;
			continue;
		}
		if (n == GNUTLS_E_REHANDSHAKE)
			return true;
		if (n == 0)
			return true;	/* a close after an answer */
		if (refusal((int)n)) {
			if (*got == 0)
				note_refusal(s, (int)n, out);
			return true;
		}
		if (n != GNUTLS_E_AGAIN && n != GNUTLS_E_INTERRUPTED &&
		    gnutls_error_is_fatal((int)n))
			return true;
		if (cd_net_wait(fd, false, until, NULL) != CD_OK)
			return *got > 0;
	}
}

/*
 * After a handshake in which the server asked for a certificate: its
 * TLS 1.3 refusal, then, when it did not refuse in TLS, nginx's: a 400
 * saying so to a first request.
 */
static void
after_request(gnutls_session_t s, int fd, int64_t deadline,
    int64_t handshake_ms, const struct cd_tls_client *client,
    struct cd_tls_info *out)
{
	/* A certificate sent must be verified first: give that time. */
	int64_t least = out->client_sent ? REFUSAL_SENT_MIN_MS :
	    REFUSAL_MIN_MS;
	int64_t until = cd_now_ms() + (handshake_ms * 2 > least ?
	    handshake_ms * 2 : least);
	char buf[4096], req[600];
	size_t got = 0;
	int len;

	if (until > deadline)
		until = deadline;
	if (await_refusal(s, fd, until, out, buf, sizeof(buf), &got) ||
	    client == NULL || client->http_host == NULL)
		return;
	len = snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: %s\r\n"
	    "Connection: close\r\n\r\n", client->http_host);
	if (len < 0 || (size_t)len >= sizeof(req) ||
	    gnutls_record_send(s, req, (size_t)len) != len)
		return;
	until = cd_now_ms() + (handshake_ms * 2 > HTTP_ANSWER_MIN_MS ?
	    handshake_ms * 2 : HTTP_ANSWER_MIN_MS);
	if (until > deadline)
		until = deadline;
	await_refusal(s, fd, until, out, buf, sizeof(buf), &got);
	out->client_alert = -1;
	out->client_closed = false;
	/* nginx's own words, not just any 400 to a bare request. */
	out->client_http = got > 12 && strncmp(buf, "HTTP/1.", 7) == 0 &&
	    strncmp(buf + 8, " 400", 4) == 0 && (strstr(buf, out->client_sent ?
	    "The SSL certificate error" : "No required SSL certificate was "
	    "sent") != NULL);
}

const char *
cd_tls_alert_name(int alert)
{
	const char *n = gnutls_alert_get_name(
	    (gnutls_alert_description_t)alert);

	return n ? n : "unknown";
}

cd_rc
cd_tls_fetch_client(int fd, const char *sni,
    const struct cd_tls_client *client, int64_t deadline,
    struct cd_tls_info *out, struct cd_err *err)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_session_t s = NULL;
	int64_t start = cd_now_ms();
	struct cd_err e = {0};
	struct client_id id;
	cd_rc rc;

	memset(out, 0, sizeof(*out));
	memset(&id, 0, sizeof(id));
	out->alert = out->client_alert = -1;
	if ((rc = session_new(fd, sni, CD_TLS_PRIORITY, &cred, &s,
	    err)) != CD_OK)
		goto out;
	if ((rc = client_creds(s, cred, client, &id, err)) != CD_OK)
		goto out;
	rc = handshake(s, fd, deadline, &e);
	out->handshake_s = (double)(cd_now_ms() - start) / 1000.0;
	out->client_requested =
	    gnutls_certificate_client_get_request_status(s) != 0;
	out->client_sent = gnutls_certificate_get_ours(s) != NULL;
	if (rc != CD_OK) {
		/*
		 * TLS 1.2: the server refuses during the handshake, after
		 * its own Certificate, which GnuTLS has kept: the chain
		 * is still there to judge.
		 */
		if (rc != CD_E_TLS || !out->client_requested ||
		    !refusal(e.lib_code)) {
			if (err != NULL)
				*err = e;
			goto out;
		}
		note_refusal(s, e.lib_code, out);
	} else if (out->client_requested) {
		after_request(s, fd, deadline, cd_now_ms() - start, client,
		    out);
	}
	if ((rc = capture(s, out, err)) != CD_OK)
		goto out;
	/* Best effort close_notify; the socket is closed by the caller. */
	if (out->client_alert < 0 && !out->client_closed)
		gnutls_bye(s, GNUTLS_SHUT_WR);
	rc = CD_OK;
out:
	if (rc != CD_OK)
		cd_tls_info_clear(out);
	if (s)
		gnutls_deinit(s);
	if (cred)
		gnutls_certificate_free_credentials(cred);
	client_id_clear(&id);
	return rc;
}

cd_rc
cd_tls_fetch(int fd, const char *sni, int64_t deadline,
    struct cd_tls_info *out, struct cd_err *err)
{
	return cd_tls_fetch_client(fd, sni, NULL, deadline, out, err);
}

/*
 * The socket under a tls-alpn-01 handshake, watched: GnuTLS says
 * "Error in the pull function" for a reset and "unexpected TLS packet"
 * for an HTTP answer, where the CA's words differ.
 */
struct wire {
	int fd;
	int err;
	unsigned char head[5];
	size_t nhead;
};

static ssize_t
wire_pull(gnutls_transport_ptr_t p, void *buf, size_t n)
{
	struct wire *w = p;
	ssize_t r = recv(w->fd, buf, n, 0);
	size_t k;

	if (r < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			w->err = errno;
		return r;	/* errno untouched: GnuTLS reads it */
	}
	k = sizeof(w->head) - w->nhead;
	if ((size_t)r < k)
		k = (size_t)r;
	memcpy(w->head + w->nhead, buf, k);
	w->nhead += k;
	return r;
}

static ssize_t
wire_push(gnutls_transport_ptr_t p, const void *buf, size_t n)
{
	struct wire *w = p;
	ssize_t r = send(w->fd, buf, n, MSG_NOSIGNAL);

	if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		w->err = errno;
	return r;
}

/* GnuTLS's own version reads the transport pointer as the fd. */
static int
wire_pull_timeout(gnutls_transport_ptr_t p, unsigned ms)
{
	struct wire *w = p;
	struct pollfd pfd = {w->fd, POLLIN, 0};

	return poll(&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int)ms);
}

/* The CA's validator (Go, MinVersion TLS 1.2) offers 1.2 and 1.3. */
#define CD_TLS_PRIORITY_ALPN "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

cd_rc
cd_tls_fetch_alpn(int fd, const char *sni, const char *alpn,
    int64_t deadline, struct cd_tls_info *out, struct cd_err *err)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_session_t s = NULL;
	gnutls_datum_t proto;
	int64_t start = cd_now_ms();
	struct cd_err e = {0};
	struct wire w = {fd, 0, {0}, 0};
	int alert = -1;
	cd_rc rc;
	int r;

	memset(out, 0, sizeof(*out));
	if ((rc = session_new(fd, sni, CD_TLS_PRIORITY_ALPN, &cred, &s,
	    err)) != CD_OK)
		goto out;
	gnutls_transport_set_ptr(s, &w);
	gnutls_transport_set_pull_function(s, wire_pull);
	gnutls_transport_set_push_function(s, wire_push);
	gnutls_transport_set_pull_timeout_function(s, wire_pull_timeout);
	/*
	 * Not GNUTLS_ALPN_MANDATORY: that aborts a handshake the CA's
	 * client completes, and the certificate such a server sends is
	 * worth reporting.
	 */
	proto.data = (unsigned char *)(uintptr_t)alpn;
	proto.size = (unsigned)strlen(alpn);
	if ((r = gnutls_alpn_set_protocols(s, &proto, 1, 0)) < 0) {
		rc = cd_err_lib(err, CD_E_TLS, "gnutls", r, "ALPN: %s",
		    gnutls_strerror(r));
		goto out;
	}
	if ((rc = handshake(s, fd, deadline, &e)) != CD_OK) {
		if (e.lib_code == GNUTLS_E_FATAL_ALERT_RECEIVED)
			alert = (int)gnutls_alert_get(s);
		if (err != NULL)
			*err = e;
		goto out;
	}
	out->handshake_s = (double)(cd_now_ms() - start) / 1000.0;
	if ((rc = capture(s, out, err)) != CD_OK)
		goto out;
	gnutls_bye(s, GNUTLS_SHUT_WR);
out:
	if (rc != CD_OK)
		cd_tls_info_clear(out);
	out->alert = alert;
	out->sys_errno = w.err;
	memcpy(out->head, w.head, sizeof(out->head));
	out->nhead = w.nhead;
	if (s)
		gnutls_deinit(s);
	if (cred)
		gnutls_certificate_free_credentials(cred);
	return rc;
}

/*
 * One version at a time.  %COMPAT and the explicit +VERS- make GnuTLS
 * offer TLS 1.0 and 1.1 even where its defaults leave them out, so that
 * a server that accepts them is seen accepting them; NORMAL's CBC suites
 * with SHA-1 MACs are what such servers negotiate.
 */
static const char *const version_priority[CD_TLS_NVERSIONS] = {
	"NORMAL:%COMPAT:-VERS-ALL:+VERS-TLS1.0",
	"NORMAL:%COMPAT:-VERS-ALL:+VERS-TLS1.1",
	"NORMAL:%COMPAT:-VERS-ALL:+VERS-TLS1.2",
	"NORMAL:%COMPAT:-VERS-ALL:+VERS-TLS1.3",
};

static const gnutls_protocol_t version_id[CD_TLS_NVERSIONS] = {
	GNUTLS_TLS1_0, GNUTLS_TLS1_1, GNUTLS_TLS1_2, GNUTLS_TLS1_3
};

static const char *const version_name[CD_TLS_NVERSIONS] = {
	"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"
};

/*
 * A system-wide GnuTLS configuration may remove a version from every
 * priority string: the probe must then say "cannot tell", not "refused".
 */
static bool
offered(enum cd_tls_version v)
{
	gnutls_priority_t p = NULL;
	const unsigned *list = NULL;
	int i, n;
	bool yes = false;

	if (gnutls_priority_init(&p, version_priority[v], NULL) < 0)
		return false;
	n = gnutls_priority_protocol_list(p, &list);
	for (i = 0; i < n && list != NULL; i++)
		if (list[i] == (unsigned)version_id[v])
			yes = true;
	gnutls_priority_deinit(p);
	return yes;
}

const char *
cd_tls_version_name(enum cd_tls_version v)
{
	return v < CD_TLS_NVERSIONS ? version_name[v] : "unknown";
}

cd_rc
cd_tls_try_version(int fd, const char *sni, enum cd_tls_version v,
    int64_t deadline, struct cd_err *err)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_session_t s = NULL;
	struct cd_err e = {0};
	const char *got;
	cd_rc rc;

	if (v >= CD_TLS_NVERSIONS)
		return cd_err_set(err, CD_E_INTERNAL, "no TLS version %d",
		    (int)v);
	if (!offered(v))
		return cd_err_set(err, CD_E_INTERNAL, "this system's GnuTLS "
		    "will not offer %s (its priority configuration?)",
		    version_name[v]);
	if ((rc = session_new(fd, sni, version_priority[v], &cred, &s,
	    err)) != CD_OK)
		goto out;
	if ((rc = handshake(s, fd, deadline, &e)) != CD_OK) {
		/*
		 * A server that asked for a client certificate and refused
		 * the handshake without one had agreed to the version in its
		 * ServerHello already: refusing the client is not refusing
		 * the version.
		 */
		if (rc == CD_E_TLS && refusal(e.lib_code) &&
		    gnutls_certificate_client_get_request_status(s) != 0 &&
		    gnutls_protocol_get_version(s) == version_id[v]) {
			rc = CD_OK;
			goto out;
		}
		if (err != NULL)
			*err = e;
		goto out;
	}
	/* Offered one version only; anything else would be a broken peer. */
	got = gnutls_protocol_get_name(gnutls_protocol_get_version(s));
	if (gnutls_protocol_get_version(s) != version_id[v]) {
		rc = cd_err_set(err, CD_E_TLS, "the server answered %s to a "
		    "%s-only hello", got ? got : "an unknown version",
		    version_name[v]);
		goto out;
	}
	gnutls_bye(s, GNUTLS_SHUT_WR);
out:
	if (s)
		gnutls_deinit(s);
	if (cred)
		gnutls_certificate_free_credentials(cred);
	return rc;
}

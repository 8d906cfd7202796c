/* err.c - operational error codes and their detail buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

const char *
cd_strerror(cd_rc rc)
{
	/* No default: -Wswitch-enum names a code added without text. */
	switch (rc) {
	case CD_OK:
		return "success";
	case CD_E_NOMEM:
		return "out of memory";
	case CD_E_USAGE:
		return "bad argument";
	case CD_E_PARSE:
		return "malformed input";
	case CD_E_TIMEOUT:
		return "deadline reached";
	case CD_E_DNS:
		return "name resolution failed";
	case CD_E_CONNECT:
		return "connection failed";
	case CD_E_TLS:
		return "TLS failure";
	case CD_E_HTTP:
		return "HTTP failure";
	case CD_E_IO:
		return "input/output error";
	case CD_E_INTERNAL:
		return "internal error";
	case CD_E_DNS_UNREACHABLE:
		return "no DNS server answered";
	case CD_E_CANCELLED:
		return "cancelled";
	case CD_E__LAST:
		break;
	}
	return "unknown error";
}

static cd_rc
err_vset(struct cd_err *err, cd_rc rc, const char *lib, int code,
    const char *fmt, va_list ap)
{
	if (err == NULL)
		return rc;
	err->rc = rc;
	err->lib = lib;
	err->lib_code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return rc;
}

cd_rc
cd_err_set(struct cd_err *err, cd_rc rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, rc, NULL, 0, fmt, ap);
	va_end(ap);
	return rc;
}

cd_rc
cd_err_lib(struct cd_err *err, cd_rc rc, const char *lib, int code,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, rc, lib, code, fmt, ap);
	va_end(ap);
	return rc;
}

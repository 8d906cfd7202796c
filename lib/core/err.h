/* err.h - filling struct cd_err. */
#ifndef CD_ERR_H
#define CD_ERR_H

#include "cd_internal.h"

/*
 * Set err (if not NULL) to rc with a printf-style message and return rc,
 * so a failure path reads "return cd_err_set(err, CD_E_IO, ...)".
 */
cd_rc cd_err_set(struct cd_err *err, cd_rc rc, const char *fmt, ...)
    CD_PRINTF(3, 4);

/* Same, recording the third-party library and its own error value. */
cd_rc cd_err_lib(struct cd_err *err, cd_rc rc, const char *lib, int code,
    const char *fmt, ...) CD_PRINTF(5, 6);

#endif

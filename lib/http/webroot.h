/*
 * webroot.h - the one feature that writes: a challenge token file under
 * WEBROOT/.well-known/acme-challenge/, created safely and always removed,
 * with exactly the directories we had to create.
 */
#ifndef CD_WEBROOT_H
#define CD_WEBROOT_H

#include "cd_internal.h"

struct cd_webroot;

/*
 * Create root/.well-known/acme-challenge/token holding content (mode
 * 0644 whatever the umask; directories made 0755).  A path component
 * that is a symbolic link or not a directory is refused (CD_E_USAGE),
 * and nothing is written through it; an existing token file is never
 * overwritten (CD_E_IO).  Checks running at once share the directories.
 * CD_E_CANCELLED after cd_cancel().
 */
cd_rc cd_webroot_put(const char *root, const char *token,
    const char *content, struct cd_webroot **out, struct cd_err *err);

/*
 * Remove the file, and the directories put() created once no other
 * token needs them; frees w.
 */
void cd_webroot_remove(struct cd_webroot *w);

/*
 * Remove every token file still written and the directories made for
 * them, now (cd_cancel_cleanup()); the handles stay valid and their
 * remove() then frees them.  After cd_cancel(), put() writes nothing.
 */
void cd_webroot_remove_all(void);

#endif

/*
 * fmt_text.h - the generic text renderer (fmt_text.c) that the per-tool
 * layouts (fmt_text_cert.c, fmt_text_acme.c) build their rows with.
 */
#ifndef CD_FMT_TEXT_H
#define CD_FMT_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "jkey.h"
#include "report.h"

#define CD_TEXT_ROW_W 9	/* width of the row labels of the layouts */

/* s with controls and invalid UTF-8 as \xHH: nothing raw from a peer. */
void cd_text_safe(FILE *fp, const char *s);

/* A string, number, boolean or null as it reads. */
void cd_text_scalar(FILE *fp, const json_t *v);

/* A name, and its Unicode form first when uni is a string. */
void cd_text_name(FILE *fp, const json_t *ace, const json_t *uni);

/* Any JSON value after its label, indented under it when it spans lines. */
void cd_text_value(FILE *fp, const json_t *v, const json_t *uni, int indent,
    unsigned flags);

/* Every shown field of o, labels aligned (at least min_width wide). */
void cd_text_object(FILE *fp, const json_t *o, int indent, unsigned flags);
void cd_text_object_w(FILE *fp, const json_t *o, int indent, unsigned flags,
    int min_width);

/* The string field k of o, or "". */
const char *cd_text_str(const json_t *o, enum cd_jkey k);

/* A layout's row label, "  label      ". */
void cd_text_row(FILE *fp, const char *label);

/* The layouts: certcheck's rows and chain table, http01check's fetches,
 * dns01check's servers. */
void cd_text_cert(FILE *fp, const json_t *d, unsigned flags);
void cd_text_h01(FILE *fp, const struct cd_report *r, unsigned flags);
void cd_text_dns01(FILE *fp, const json_t *d, unsigned flags);

#endif

/*
 * timeutil.h - deadlines on the monotonic clock, and certificate times
 * rendered with gmtime_r (never by changing TZ, never by hand-parsing).
 */
#ifndef CD_TIMEUTIL_H
#define CD_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

#include "cd_internal.h"

/* Milliseconds on the monotonic clock. */
int64_t cd_now_ms(void);

/* An absolute deadline timeout_ms from now. */
int64_t cd_deadline_in(int timeout_ms);

/* Milliseconds left before deadline, never negative. */
int cd_deadline_left_ms(int64_t deadline);

/* "2026-11-23T10:00:00Z" into buf (at least 21 bytes); returns buf. */
char *cd_time_rfc3339(time_t t, char *buf, size_t len);

/* "2026-11-23 10:00 UTC" for people; returns buf. */
char *cd_time_human(time_t t, char *buf, size_t len);

/* Days with one decimal where it matters ("27", "1.8", "397") into buf;
 * returns buf. */
const char *cd_days_str(double d, char *buf, size_t len);

/* (to - from) in days, fractional. */
double cd_days_between(time_t from, time_t to);

#endif

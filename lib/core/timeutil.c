/* timeutil.c - monotonic deadlines and UTC time formatting. */
#include <stdio.h>
#include <string.h>

#include "timeutil.h"

int64_t
cd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
cd_deadline_in(int timeout_ms)
{
	return cd_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
}

int
cd_deadline_left_ms(int64_t deadline)
{
	int64_t left = deadline - cd_now_ms();

	if (left <= 0)
		return 0;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

static char *
fmt_utc(time_t t, const char *fmt, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, fmt, &tm) == 0)
		snprintf(buf, len, "(invalid time)");
	return buf;
}

char *
cd_time_rfc3339(time_t t, char *buf, size_t len)
{
	return fmt_utc(t, "%Y-%m-%dT%H:%M:%SZ", buf, len);
}

char *
cd_time_human(time_t t, char *buf, size_t len)
{
	return fmt_utc(t, "%Y-%m-%d %H:%M UTC", buf, len);
}

const char *
cd_days_str(double d, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%.1f", d);
	n = strlen(buf);
	if (n > 2 && strcmp(buf + n - 2, ".0") == 0)
		buf[n - 2] = '\0';
	return buf;
}

double
cd_days_between(time_t from, time_t to)
{
	return difftime(to, from) / 86400.0;
}

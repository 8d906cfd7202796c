/* status.c - the four plugin states and how they combine. */
#include "cd_internal.h"

const char *
cd_status_name(cd_status st)
{
	switch (st) {
	case CD_ST_OK:
		return "OK";
	case CD_ST_WARNING:
		return "WARNING";
	case CD_ST_CRITICAL:
		return "CRITICAL";
	case CD_ST_UNKNOWN:
		return "UNKNOWN";
	}
	return "UNKNOWN";
}

/* Rank in the contract's order OK < WARNING < UNKNOWN < CRITICAL. */
static int
rank(cd_status st)
{
	switch (st) {
	case CD_ST_OK:
		return 0;
	case CD_ST_WARNING:
		return 1;
	case CD_ST_UNKNOWN:
		return 2;
	case CD_ST_CRITICAL:
		return 3;
	}
	return 2;
}

cd_status
cd_status_worst(cd_status a, cd_status b)
{
	return rank(a) >= rank(b) ? a : b;
}

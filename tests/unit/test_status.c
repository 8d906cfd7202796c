/*
 * test_status.c - the four plugin states: names, exit values and the one
 * worst-of order, OK < WARNING < UNKNOWN < CRITICAL (certdiag(7),
 * EXIT STATUS), checked over the full 4x4 table in both argument orders.
 */
#include "certdiag.h"
#include "tap.h"

static const cd_status all[] = {
	CD_ST_OK, CD_ST_WARNING, CD_ST_CRITICAL, CD_ST_UNKNOWN
};

/* worst[a][b], indexed by the status values (the exit codes). */
#define O CD_ST_OK
#define W CD_ST_WARNING
#define C CD_ST_CRITICAL
#define U CD_ST_UNKNOWN
static const cd_status worst[4][4] = {
	/*		  b: OK W  C  U */
	/* a = OK */	{O, W, C, U},
	/* a = WARNING */	{W, W, C, U},
	/* a = CRITICAL */	{C, C, C, C},
	/* a = UNKNOWN */	{U, U, C, U},
};
#undef O
#undef W
#undef C
#undef U

static void
test_values(void)
{
	/* The values are the Nagios exit codes. */
	tap_is_int(CD_ST_OK, 0, "OK is exit code 0");
	tap_is_int(CD_ST_WARNING, 1, "WARNING is exit code 1");
	tap_is_int(CD_ST_CRITICAL, 2, "CRITICAL is exit code 2");
	tap_is_int(CD_ST_UNKNOWN, 3, "UNKNOWN is exit code 3");
}

static void
test_names(void)
{
	tap_is_str(cd_status_name(CD_ST_OK), "OK", "name of OK");
	tap_is_str(cd_status_name(CD_ST_WARNING), "WARNING",
	    "name of WARNING");
	tap_is_str(cd_status_name(CD_ST_CRITICAL), "CRITICAL",
	    "name of CRITICAL");
	tap_is_str(cd_status_name(CD_ST_UNKNOWN), "UNKNOWN",
	    "name of UNKNOWN");
}

static void
test_worst(void)
{
	size_t i, j;
	cd_status a, b;

	for (i = 0; i < 4; i++) {
		for (j = 0; j < 4; j++) {
			a = all[i];
			b = all[j];
			tap_is_str(cd_status_name(cd_status_worst(a, b)),
			    cd_status_name(worst[a][b]), "worst(%s, %s)",
			    cd_status_name(a), cd_status_name(b));
			tap_is_int(cd_status_worst(a, b), cd_status_worst(b, a),
			    "worst(%s, %s) is commutative", cd_status_name(a),
			    cd_status_name(b));
		}
	}
}

/* Folding a list gives the same answer in any order. */
static void
test_fold(void)
{
	cd_status st;
	size_t i;

	st = CD_ST_OK;
	for (i = 0; i < 4; i++)
		st = cd_status_worst(st, all[i]);
	tap_is_int(st, CD_ST_CRITICAL, "worst of all four is CRITICAL");
	st = cd_status_worst(cd_status_worst(CD_ST_WARNING, CD_ST_UNKNOWN),
	    CD_ST_OK);
	tap_is_int(st, CD_ST_UNKNOWN,
	    "UNKNOWN is never hidden behind WARNING");
}

int
main(void)
{
	test_values();
	test_names();
	test_worst();
	test_fold();
	return tap_done();
}

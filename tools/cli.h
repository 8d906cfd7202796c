/*
 * cli.h - what every certdiag tool shares: one option table per tool on
 * top of the shared options, generated --help, targets from arguments
 * and files, output format, colour, and the exit status.
 */
#ifndef CD_CLI_H
#define CD_CLI_H

#include "certdiag.h"

enum cli_arg {
	CLI_NONE,	/* flag */
	CLI_STRING,
	CLI_FILE,
	CLI_DIR,	/* a file name too, but completed as a directory */
	CLI_NUMBER,
	CLI_OPTIONAL	/* "--name" or "--name=VALUE", never a separate word */
};

/*
 * One option, the single source of what --help prints and --list-options
 * dumps; the man pages, the shell completions and the Icinga 2
 * CheckCommands are tested against that dump field by field
 * (tests/integration/option_tables.sh), so they cannot drift from it.
 */
struct cli_opt {
	const char *name;	/* long name, without "--" */
	int shortc;		/* short letter or 0 */
	enum cli_arg arg;
	const char *metavar;	/* shown in --help: "DAYS" */
	/*
	 * The words the value may be, space-separated, when they are a
	 * fixed set (what completions offer), else NULL; with CLI_FILE,
	 * the words that may stand instead of a file ("none").
	 */
	const char *values;
	const char *help;
	int id;			/* passed to the tool's handler */
};

/*
 * Ids below CLI_TOOL_BASE are the shared options, from CLI_TOOL_BASE the
 * tool's own (its handler's); CLI_LIB(CD_OPT_X) is a library option that
 * cli_parse gives to cd_opts_set() as written, so the library's words
 * refuse a bad value.
 */
#define CLI_TOOL_BASE 100
#define CLI_LIB_BASE 500
#define CLI_LIB(opt) (CLI_LIB_BASE + (int)(opt))

/*
 * The options of the CA's resolver view, for the tools that resolve as
 * the CA does (caacheck, http01check): put CLI_CAVIEW_OPTS in the tool's
 * table; cli_parse handles them.
 */
#define CLI_CAVIEW_OPTS \
	{"root-hints", 0, CLI_FILE, "FILE", NULL, "resolve as the CA from " \
	    "these root servers (zone-file format) instead of the Internet's; " \
	    "loopback and private nameservers then allowed", \
	    CLI_LIB(CD_OPT_ROOT_HINTS)}, \
	{"trust-anchor", 0, CLI_FILE, "FILE|none", "none", "DNSSEC trust " \
	    "anchor (DS or DNSKEY records) instead of the system's root " \
	    "key; none: no validation", CLI_LIB(CD_OPT_TRUST_ANCHOR)}, \
	{"no-ca-view", 0, CLI_NONE, NULL, NULL, "do not resolve as the CA " \
	    "does (blind to DNSSEC and nameserver faults)", \
	    CLI_LIB(CD_OPT_NO_CA_VIEW)}

/*
 * The Monitoring Plugins habits (cli_plugin.c).  -H is the target as
 * their users type it: put CLI_OPT_HOST (with the tool's own help) in
 * the tool's table.  --sni is sent by every tool that speaks TLS: where
 * it takes no value, CLI_OPT_SNI_IGNORED accepts the flag as they type
 * it.  -p and -I are each tool's own (or unknown: see cli_plugin_why).
 */
enum { CLI_O_HOST = 70, CLI_O_SNI_IGNORED };
#define CLI_OPT_HOST(metavar, help) \
	{"hostname", 'H', CLI_STRING, metavar, NULL, help, CLI_O_HOST}
#define CLI_OPT_SNI_IGNORED \
	{"sni", 0, CLI_NONE, NULL, NULL, "accepted and ignored, for " \
	    "Monitoring Plugins command lines", CLI_O_SNI_IGNORED}

/* --sort: stream in completion order (default), or buffer and sort. */
enum cli_sort {
	CLI_SORT_NONE = 0,
	CLI_SORT_INPUT,		/* the order the targets were given */
	CLI_SORT_STATUS,	/* worst first, then input order */
	CLI_SORT_NAME		/* by target, then input order */
};

struct cli {
	const char *prog;	/* basename of argv[0] */
	const char *tool;	/* canonical name, e.g. "certcheck" */
	const char *synopsis;	/* usage lines after the name */
	const char *about;	/* one paragraph for --help */
	const struct cli_opt *opts;	/* the tool's own table */
	enum cd_format format;
	unsigned fmt_flags;
	struct cd_opts *o;	/* owned */
	int verbose;		/* -v count */
	unsigned jobs;
	enum cli_sort sort;
	char **targets;		/* owned */
	size_t ntargets;
	const char *target_origin;	/* for error messages */
	bool ip_identifiers;	/* IP addresses are identifiers too */
	const char *service;	/* nagios name, e.g. "CERT" */
	const char *host;	/* -H */
	unsigned port;		/* -p, where it goes with -H (certcheck) */
	bool batch;		/* -f or several targets: one bad is one result */
};

/* Name the tool; the Nagios name (check_*) makes nagios the default. */
void cli_init(struct cli *c, const char *argv0, const char *tool,
    const char *synopsis, const char *about, const struct cli_opt *opts);

/*
 * Parse argv; shared options are handled here, the tool's own go to
 * handler, which returns false on a bad value (after cli_usage_error).
 * Remaining arguments become targets.
 */
void cli_parse(struct cli *c, int argc, char **argv,
    bool (*handler)(struct cli *c, int id, const char *arg));

/* Append the targets in file path ("-" = stdin): one per line, '#'. */
void cli_read_targets(struct cli *c, const char *path);

/* Print "prog: message" on stderr, the message made display-safe. */
void cli_say(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "prog: message" on stderr (display-safe) and exit 3. */
void cli_usage_error(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/*
 * A failure the user must see: "prog: message" on stderr and, in the
 * nagios format, "SERVICE UNKNOWN - message" on stdout, since Nagios
 * shows only stdout.
 */
void cli_fail(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append one target (a copy). */
void cli_add_target(struct cli *c, const char *t);

/* cli_plugin.c: the nagios service of a tool ("certcheck": "CERT"). */
const char *cli_service(const char *tool);

/* cli_plugin.c: the format the command line asks for, before parsing,
 * so that a usage error before --nagios is reported in that format. */
void cli_plugin_prescan(struct cli *c, int argc, char **argv);

/* cli_plugin.c: "--sni" alone, where the tool's --sni takes a NAME:
 * the Monitoring Plugins flag (SNI is sent anyway), dropped from argv. */
void cli_plugin_sni_flag(const struct cli *c, int *argc, char **argv);

/* cli_plugin.c: -H (with -p) as a target, after the arguments. */
void cli_plugin_finish(struct cli *c);

/* cli_plugin.c: why -p or -I is unknown to this tool, or NULL. */
const char *cli_plugin_why(const struct cli *c, int ch);

/* cli_plugin.c: "SERVICE UNKNOWN - msg" on stdout, cut to a line that
 * Nagios reads whole; msg is already display-safe. */
void cli_plugin_unknown(const struct cli *c, const char *msg);

/* cli_plugin.c: what -vv (and -v in the nagios format) add after a
 * report; false when the write failed. */
bool cli_verbose_extra(const struct cli *c, const struct cd_report *r);

/* cli_plugin.c: -vvv, a line on stderr as each target is done. */
void cli_verbose_trace(const struct cli *c, size_t done,
    const struct cd_report *r);

/*
 * cli_list.c: the hidden options' output.  --list-problems: one code a
 * line.  --list-options: one option a line, from the tables given (the
 * tool's, the shared, the hidden), tab-separated fields: long name,
 * short letter or "-", none|required|optional, -|string|file|dir|number,
 * metavar or "-", the fixed values comma-separated or "-", and
 * tool|shared|hidden.
 */
void cli_list_problems(void);
void cli_list_options(const struct cli_opt *tool, const struct cli_opt *shared,
    const struct cli_opt *hidden);

/* Run check over the targets, print the reports, return the exit code. */
int cli_run(struct cli *c, cd_check_fn check);

void cli_free(struct cli *c);

/*
 * Terminating signals (HUP INT QUIT TERM ALRM USR1 USR2 PIPE) from now
 * on: cancel the checks, remove what --webroot wrote, die of the signal.
 * Call before any thread starts.  Signals ignored at start stay so.
 */
void cli_signals_start(void);

/* Cancel, clean up, and die of sig (exit status 128+sig). */
void cli_die_of(int sig) __attribute__((noreturn));

/* After a failed write to stdout: a closed pipe is SIGPIPE, as above. */
void cli_write_failed(void);

/* Refuse (exit 3) an empty list or a target that is no domain name. */
void cli_check_domains(struct cli *c);

/* cd_opts_set(), and exit 3 with the library's words if refused. */
void cli_set(struct cli *c, enum cd_opt opt, const char *arg);

/* The value of opt as given, or NULL (cd_opts_get()). */
const char *cli_get(const struct cli *c, enum cd_opt opt);

#endif

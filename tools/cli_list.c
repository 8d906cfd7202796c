/*
 * cli_list.c - what the hidden options print, for programs rather than
 * people: the problem codes (the shell completions offer them) and the
 * option tables (the tests check the man pages, the completions and the
 * Icinga 2 CheckCommands against them).
 */
#include <stdio.h>

#include "cli.h"

/* One code a line: code, TAB, default severity and summary (fish's form). */
void
cli_list_problems(void)
{
	int i;

	for (i = 0; i < CD_P__LAST; i++)
		if (cd_problem_name((enum cd_prob)i) != NULL)
			printf("%s\t%s: %s\n", cd_problem_name((enum cd_prob)i),
			    cd_status_name(cd_problem_default_sev(
			    (enum cd_prob)i)), cd_problem_summary(
			    (enum cd_prob)i));
}

static const char *
takes(enum cli_arg a)
{
	switch (a) {
	case CLI_NONE:
		return "none";
	case CLI_OPTIONAL:
		return "optional";
	case CLI_STRING:
	case CLI_FILE:
	case CLI_DIR:
	case CLI_NUMBER:
		break;
	}
	return "required";
}

/* An optional value is a word, as --sort's KEY. */
static const char *
kind(enum cli_arg a)
{
	switch (a) {
	case CLI_NONE:
		return "-";
	case CLI_FILE:
		return "file";
	case CLI_DIR:
		return "dir";
	case CLI_NUMBER:
		return "number";
	case CLI_STRING:
	case CLI_OPTIONAL:
		break;
	}
	return "string";
}

/* Empty fields are "-": a shell's read joins adjacent tabs. */
static void
rows(const struct cli_opt *t, const char *where)
{
	const char *v;

	for (; t->name; t++) {
		printf("%s\t%c\t%s\t%s\t%s\t", t->name, t->shortc ? t->shortc :
		    '-', takes(t->arg), kind(t->arg), t->metavar ? t->metavar :
		    "-");
		if (t->values == NULL)
			putchar('-');
		for (v = t->values; v && *v; v++)
			putchar(*v == ' ' ? ',' : *v);
		printf("\t%s\n", where);
	}
}

void
cli_list_options(const struct cli_opt *tool, const struct cli_opt *shared,
    const struct cli_opt *hidden)
{
	rows(tool, "tool");
	rows(shared, "shared");
	rows(hidden, "hidden");
}

/*
 * exporter_config.c - the exporter's YAML config, in blackbox_exporter's
 * shape:
 *
 *   modules:
 *     NAME:
 *       prober: cert|caa|http01|dns01|tlsalpn01
 *       OPTION: VALUE      # a long option of that tool, '-' or '_'
 *
 * Each option goes through the library as the command line would give
 * it (cd_opt_lookup, cd_opts_set), so a value is refused in the tool's
 * own words; a flag is written true (false: not set).  Everything is
 * checked at start, each fault with its file and line: a probe never
 * finds a bad module.  libyaml's event parser gives the line of every
 * node.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "exporter.h"

/* One "key: value" of a module, kept until its prober is known. */
struct entry {
	char *key, *value;
	size_t line;
};

struct loader {
	const char *path;
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have_ev;
	char *msg;		/* the first fault */
	struct exp_config *cfg;
};

static void
fault(struct loader *l, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fault(struct loader *l, size_t line, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	if (l->msg != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (asprintf(&l->msg, "%s:%zu: %s", l->path, line,
	    s ? s : "out of memory") < 0)
		l->msg = NULL;
	free(s);
}

static size_t
line_of(const struct loader *l)
{
	return l->ev.start_mark.line + 1;
}

/* The next event (the previous one freed); false after a fault. */
static bool
next(struct loader *l)
{
	if (l->have_ev)
		yaml_event_delete(&l->ev);
	l->have_ev = false;
	if (!yaml_parser_parse(&l->parser, &l->ev)) {
		fault(l, l->parser.problem_mark.line + 1, "%s",
		    l->parser.problem ? l->parser.problem : "bad YAML");
		return false;
	}
	l->have_ev = true;
	if (l->ev.type == YAML_ALIAS_EVENT) {
		fault(l, line_of(l), "aliases are not supported");
		return false;
	}
	return true;
}

static const char *
scalar(const struct loader *l)
{
	return (const char *)l->ev.data.scalar.value;
}

/* What the event just read starts, for a message. */
static const char *
kind(const struct loader *l)
{
	if (l->ev.type == YAML_MAPPING_START_EVENT)
		return "a mapping";
	if (l->ev.type == YAML_SEQUENCE_START_EVENT)
		return "a list";
	return "a scalar";
}

static void
entries_free(struct entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

/*
 * Set one option as the command line would.  A flag (an option that
 * may go without a value) is true or false; any other value is given
 * as written.
 */
static bool
set_one(struct loader *l, const struct exp_module *m, struct cd_opts *o,
    const struct entry *en)
{
	struct cd_opts *scratch;
	enum cd_opt opt;
	bool bare;

	if (cd_opt_lookup(en->key, &opt) != CD_OK ||
	    opt == CD_OPT_VERBOSE) {
		fault(l, en->line, "unknown key '%s' in module '%s'",
		    en->key, m->name);
		return false;
	}
	if (!exp_prober_takes(m->prober, opt)) {
		fault(l, en->line, "'%s' is not an option of %s (module "
		    "'%s', prober %s)", en->key, m->prober->tool, m->name,
		    m->prober->name);
		return false;
	}
	if ((scratch = cd_opts_new()) == NULL) {
		fault(l, en->line, "out of memory");
		return false;
	}
	bare = cd_opts_set(scratch, opt, NULL) == CD_OK;
	cd_opts_free(scratch);
	if (bare && strcmp(en->value, "false") == 0)
		return true;
	if (cd_opts_set(o, opt, bare && strcmp(en->value, "true") == 0 ?
	    NULL : en->value) == CD_OK)
		return true;
	if (bare && strstr(cd_opts_error(o), "takes no value") != NULL)
		fault(l, en->line, "'%s' is a flag: write true or false",
		    en->key);
	else
		fault(l, en->line, "%s", cd_opts_error(o));
	return false;
}

/* The module's options set, checked and its context made. */
static bool
make_module(struct loader *l, struct exp_module *m, size_t line,
    const struct entry *v, size_t n)
{
	struct cd_opts *o = NULL;
	struct cd_err e;
	const char *s, *why;
	size_t i, prober_line = line;
	bool ok = false;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].key, "prober") == 0) {
			if ((m->prober = exp_prober_find(v[i].value)) == NULL) {
				fault(l, v[i].line, "unknown prober '%s' (want "
				    "%s)", v[i].value, exp_prober_names());
				return false;
			}
			prober_line = v[i].line;
		}
	if (m->prober == NULL) {
		fault(l, line, "module '%s' has no prober (want %s)", m->name,
		    exp_prober_names());
		return false;
	}
	if ((o = cd_opts_new()) == NULL ||
	    exp_prober_defaults(m->prober, o) != CD_OK) {
		fault(l, line, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (strcmp(v[i].key, "prober") != 0 && !set_one(l, m, o, &v[i]))
			goto out;
	memset(&e, 0, sizeof(e));
	if ((why = exp_prober_conflict(m->prober, o, &e)) != NULL) {
		fault(l, prober_line, "module '%s': %s", m->name, why);
		goto out;
	}
	memset(&e, 0, sizeof(e));
	if (cd_ctx_new(o, &m->ctx, &e) != CD_OK) {
		fault(l, line, "module '%s': %s", m->name, e.msg);
		goto out;
	}
	s = cd_opts_get(o, CD_OPT_TIMEOUT);
	m->timeout = s != NULL ? strtod(s, NULL) : 10.0;
	ok = true;
out:
	cd_opts_free(o);
	return ok;
}

/* One module: its mapping of keys to scalars, then the module made. */
static bool
read_module(struct loader *l, const char *name, size_t line)
{
	struct exp_config *c = l->cfg;
	struct exp_module *m;
	struct entry *v = NULL, *nv;
	size_t n = 0, i, kline;
	char *key = NULL;
	bool ok = false;

	for (i = 0; i < c->nmods; i++)
		if (strcmp(c->mods[i].name, name) == 0) {
			fault(l, line, "module '%s' defined twice", name);
			return false;
		}
	if ((m = realloc(c->mods, (c->nmods + 1) * sizeof(*m))) == NULL) {
		fault(l, line, "out of memory");
		return false;
	}
	c->mods = m;
	m = &c->mods[c->nmods];
	memset(m, 0, sizeof(*m));
	if ((m->name = strdup(name)) == NULL) {
		fault(l, line, "out of memory");
		return false;
	}
	c->nmods++;
	if (!next(l))
		return false;
	if (l->ev.type != YAML_MAPPING_START_EVENT) {
		fault(l, line_of(l), "module '%s': want a mapping of its "
		    "prober and options, not %s", name, kind(l));
		return false;
	}
	for (;;) {
		if (!next(l))
			goto out;
		if (l->ev.type == YAML_MAPPING_END_EVENT)
			break;
		kline = line_of(l);
		if (l->ev.type != YAML_SCALAR_EVENT) {
			fault(l, kline, "module '%s': want a key, not %s",
			    name, kind(l));
			goto out;
		}
		if ((key = strdup(scalar(l))) == NULL) {
			fault(l, kline, "out of memory");
			goto out;
		}
		for (i = 0; i < n; i++)
			if (strcmp(v[i].key, key) == 0) {
				fault(l, kline, "'%s' given twice in module "
				    "'%s'", key, name);
				goto out;
			}
		if (!next(l))
			goto out;
		if (l->ev.type != YAML_SCALAR_EVENT) {
			fault(l, line_of(l), "'%s': want a value as the "
			    "command line writes it, not %s", key, kind(l));
			goto out;
		}
		if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL) {
			fault(l, kline, "out of memory");
			goto out;
		}
		v = nv;
		v[n].key = key;
		v[n].line = kline;
		key = NULL;
		if ((v[n++].value = strdup(scalar(l))) == NULL) {
			fault(l, kline, "out of memory");
			goto out;
		}
	}
	ok = make_module(l, m, line, v, n);
out:
	free(key);
	entries_free(v, n);
	return ok;
}

static bool
read_modules(struct loader *l)
{
	char *name;
	size_t line;
	bool ok;

	if (!next(l))
		return false;
	if (l->ev.type != YAML_MAPPING_START_EVENT) {
		fault(l, line_of(l), "modules: want a mapping of module "
		    "names, not %s", kind(l));
		return false;
	}
	for (;;) {
		if (!next(l))
			return false;
		if (l->ev.type == YAML_MAPPING_END_EVENT)
			return true;
		line = line_of(l);
		if (l->ev.type != YAML_SCALAR_EVENT || *scalar(l) == '\0') {
			fault(l, line, "modules: want a module name");
			return false;
		}
		if ((name = strdup(scalar(l))) == NULL) {
			fault(l, line, "out of memory");
			return false;
		}
		ok = read_module(l, name, line);
		free(name);
		if (!ok)
			return false;
	}
}

static bool
read_top(struct loader *l)
{
	bool seen = false;

	while (next(l) && (l->ev.type == YAML_STREAM_START_EVENT ||
	    l->ev.type == YAML_DOCUMENT_START_EVENT))
		;
	if (l->msg != NULL)
		return false;
	if (l->ev.type != YAML_MAPPING_START_EVENT) {
		fault(l, line_of(l), "want a mapping with the key modules");
		return false;
	}
	for (;;) {
		if (!next(l))
			return false;
		if (l->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (l->ev.type != YAML_SCALAR_EVENT ||
		    strcmp(scalar(l), "modules") != 0) {
			fault(l, line_of(l), "unknown key '%s' (want modules)",
			    l->ev.type == YAML_SCALAR_EVENT ? scalar(l) : "?");
			return false;
		}
		if (seen) {
			fault(l, line_of(l), "modules given twice");
			return false;
		}
		seen = true;
		if (!read_modules(l))
			return false;
	}
	if (l->cfg->nmods == 0) {
		fault(l, line_of(l), "no module defined");
		return false;
	}
	/* Only one document: a second would be silently ignored. */
	if (!next(l))
		return false;
	if (l->ev.type == YAML_DOCUMENT_END_EVENT && !next(l))
		return false;
	if (l->ev.type != YAML_STREAM_END_EVENT) {
		fault(l, line_of(l), "one YAML document only");
		return false;
	}
	return true;
}

static void
config_free(struct exp_config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nmods; i++) {
		free(c->mods[i].name);
		cd_ctx_free(c->mods[i].ctx);
	}
	free(c->mods);
	free(c);
}

struct exp_config *
exp_config_load(const char *path, char **msg)
{
	struct loader l;
	FILE *fp;

	memset(&l, 0, sizeof(l));
	l.path = path;
	*msg = NULL;
	if ((fp = fopen(path, "r")) == NULL) {
		if (asprintf(msg, "%s: %s", path, strerror(errno)) < 0)
			*msg = NULL;
		return NULL;
	}
	if ((l.cfg = calloc(1, sizeof(*l.cfg))) == NULL ||
	    !yaml_parser_initialize(&l.parser)) {
		fclose(fp);
		free(l.cfg);
		return NULL;
	}
	yaml_parser_set_input_file(&l.parser, fp);
	if (!read_top(&l)) {
		config_free(l.cfg);
		l.cfg = NULL;
		*msg = l.msg;
	} else {
		l.cfg->refs = 1;
		free(l.msg);
	}
	if (l.have_ev)
		yaml_event_delete(&l.ev);
	yaml_parser_delete(&l.parser);
	fclose(fp);
	return l.cfg;
}

const struct exp_module *
exp_config_find(const struct exp_config *c, const char *name)
{
	size_t i;

	for (i = 0; c != NULL && i < c->nmods; i++)
		if (strcmp(c->mods[i].name, name) == 0)
			return &c->mods[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The config in force.                                                 */

static pthread_mutex_t cur_mu = PTHREAD_MUTEX_INITIALIZER;
static struct exp_config *cur;

struct exp_config *
exp_config_get(void)
{
	struct exp_config *c;

	pthread_mutex_lock(&cur_mu);
	if ((c = cur) != NULL)
		c->refs++;
	pthread_mutex_unlock(&cur_mu);
	return c;
}

void
exp_config_hold(struct exp_config *c)
{
	pthread_mutex_lock(&cur_mu);
	c->refs++;
	pthread_mutex_unlock(&cur_mu);
}

void
exp_config_put(struct exp_config *c)
{
	bool last;

	if (c == NULL)
		return;
	pthread_mutex_lock(&cur_mu);
	last = --c->refs == 0;
	pthread_mutex_unlock(&cur_mu);
	if (last)
		config_free(c);
}

void
exp_config_set(struct exp_config *c)
{
	struct exp_config *old;

	pthread_mutex_lock(&cur_mu);
	old = cur;
	cur = c;
	pthread_mutex_unlock(&cur_mu);
	exp_config_put(old);
}

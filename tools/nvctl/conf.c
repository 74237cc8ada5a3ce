// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration as one document: the nvctl command lines that build
 * it. Read from the module, it is what the show commands print, less the
 * counters, the module's own objects (a port's routes) and the handles;
 * read from a file, the same lines (or the JSON of save -j). A plan turns
 * one into the other with the fewest changes: what both have stays, with
 * its counters, handles and connections.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <linux/genetlink.h>
#include <linux/netvirt.h>

#include "conf.h"
#include "nl.h"
#include "output.h"
#include "utils.h"

#define CONF_MAX_WORDS	128
#define GEN_TRIES	5

enum { UNMATCHED, KEPT, GONE };

/* @c's next line, or NULL without memory. */
static struct conf_line *conf_next(struct conf *c)
{
	struct conf_line *l;

	if (c->n == c->size) {
		size_t size = c->size ? 2 * c->size : 64;

		l = realloc(c->lines, size * sizeof(*l));
		if (!l)
			return NULL;
		c->lines = l;
		c->size = size;
	}
	l = &c->lines[c->n];
	memset(l, 0, sizeof(*l));
	return l;
}

/* The word after @kw in @w, or NULL. */
static const char *word_after(char **w, int n, const char *kw)
{
	int i;

	for (i = 0; i + 1 < n; i++)
		if (!strcmp(w[i], kw))
			return w[i + 1];
	return NULL;
}

static bool is(char **w, int n, const char *a, const char *b)
{
	return n >= 2 && !strcmp(w[0], a) && !strcmp(w[1], b);
}

/* Sets @l's kind, tenant and key from the words of its line. */
static int classify(struct conf_line *l, char **w, int n)
{
	const char *t = word_after(w, n, "tenant"), *key = "";

	if (is(w, n, "host", "set")) {
		l->kind = CONF_HOST;
		t = "";
	} else if (is(w, n, "uplink", "set")) {
		l->kind = CONF_UPLINK;
		t = "";
	} else if (is(w, n, "tenant", "add") && n >= 3) {
		l->kind = CONF_TENANT;
		t = key = w[2];
	} else if (is(w, n, "fw", "policy")) {
		l->kind = CONF_POLICY;
	} else if (n >= 6 && is(w, n, "fw", "group") && !strcmp(w[2], "add")) {
		l->kind = CONF_GROUP;
		key = w[5];
	} else if (n >= 6 && is(w, n, "fw", "pgroup") && !strcmp(w[2], "add")) {
		l->kind = CONF_PGROUP;
		key = w[5];
	} else if (is(w, n, "port", "add") && n >= 3) {
		l->kind = CONF_PORT;
		key = w[2];
	} else if (is(w, n, "route", "add") && n >= 5) {
		l->kind = CONF_ROUTE;
		key = w[4];
	} else if (n >= 3 && is(w, n, "fw", "rule") && !strcmp(w[2], "add")) {
		l->kind = CONF_RULE;
	} else if (is(w, n, "nat", "add")) {
		l->kind = CONF_NAT;
	} else {
		return -1;
	}
	if (!t || strlen(t) >= sizeof(l->tenant) || strlen(key) >= sizeof(l->key))
		return -1;
	strcpy(l->tenant, t);
	strcpy(l->key, key);
	return 0;
}

/*
 * @w as the module prints a prefix: its address in the canonical form
 * (inet_ntop()) and its length, /32 or /128 when it has none. A word that
 * is no address is left as it is.
 */
static const char *canon_prefix(const char *w, char *out, size_t size)
{
	char addr[INET6_ADDRSTRLEN], buf[16];
	const char *slash = strchr(w, '/');
	size_t n = slash ? (size_t)(slash - w) : strlen(w);
	int af;

	if (n >= sizeof(addr))
		return w;
	memcpy(addr, w, n);
	addr[n] = '\0';
	af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, addr, buf) != 1 ||
	    !inet_ntop(af, buf, addr, sizeof(addr)))
		return w;
	snprintf(out, size, "%s/%s", addr,
		 slash ? slash + 1 : af == AF_INET6 ? "128" : "32");
	return out;
}

/* Whether word @i of a line of @kind is a prefix the module prints so. */
static bool is_prefix_word(enum conf_kind kind, char **w, int i)
{
	switch (kind) {
	case CONF_ROUTE:
		return i == 4;
	case CONF_GROUP:
		return i >= 6;
	case CONF_RULE:
	case CONF_NAT:
		return i > 0 && w[i][0] != '@' &&
		       (!strcmp(w[i - 1], "src") || !strcmp(w[i - 1], "dst"));
	default:
		return false;
	}
}

/* A route's key is its prefix as printed: word 4 of its canonical text. */
static void classify_key(struct conf_line *l)
{
	char *copy = strdup(l->text), *w[CONF_MAX_WORDS];
	int n;

	if (!copy)
		return;
	n = split_words(copy, w, CONF_MAX_WORDS);
	if (l->kind == CONF_ROUTE && n > 4 && strlen(w[4]) < sizeof(l->key))
		strcpy(l->key, w[4]);
	free(copy);
}

/*
 * Adds @text as a line of @c: words single-spaced, prefixes as the module
 * prints them, classified. A line no saved configuration has is an error
 * (the caller has set error_at()).
 */
static int conf_add(struct conf *c, const char *text, uint32_t handle)
{
	char *copy = strdup(text), *w[CONF_MAX_WORDS];
	struct conf_line *l = conf_next(c);
	size_t len = 0;
	int n, i;

	if (!copy || !l) {
		free(copy);
		error("no memory for the configuration");
		return -1;
	}
	n = split_words(copy, w, CONF_MAX_WORDS);
	if (n <= 0 || classify(l, w, n)) {
		error("not a line of a saved configuration: \"%s\"", text);
		free(copy);
		return -1;
	}
	for (i = 0; i < n; i++)
		len += strlen(w[i]) + 1 + 8;	/* room for "/128" */
	l->text = malloc(len);
	if (!l->text) {
		free(copy);
		error("no memory for the configuration");
		return -1;
	}
	l->text[0] = '\0';
	for (i = 0; i < n; i++) {
		char prefix[INET6_ADDRSTRLEN + 8];

		strcat(l->text, is_prefix_word(l->kind, w, i) ?
			canon_prefix(w[i], prefix, sizeof(prefix)) : w[i]);
		if (i + 1 < n)
			strcat(l->text, " ");
	}
	if (l->kind == CONF_ROUTE)
		classify_key(l);
	l->handle = handle;
	free(copy);
	c->n++;
	return 0;
}

void conf_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->lines[i].text);
	free(c->lines);
	memset(c, 0, sizeof(*c));
}

/*
 * What `nvctl ARGS...` prints, in text, or NULL when it fails: then
 * quietly when @quiet (a host without overlay or uplink).
 */
static char *capture(struct nvctl *ctl, bool quiet, char *const *args)
{
	int argc = 0, err = -1, ret;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	while (args[argc])
		argc++;
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	if (quiet) {
		fflush(stderr);
		err = dup(STDERR_FILENO);
		ret = open("/dev/null", O_WRONLY);
		if (ret >= 0) {
			dup2(ret, STDERR_FILENO);
			close(ret);
		}
	}
	out_capture(f);
	ret = nvctl_run_line(ctl, argc, (char **)args);
	out_capture(NULL);
	fclose(f);
	if (err >= 0) {
		dup2(err, STDERR_FILENO);
		close(err);
	}
	if (ret) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Cuts @line at the first " @word " (or at its end), in place. */
static void cut_at(char *line, const char *word)
{
	char pat[32], *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s ", word);
	p = strstr(line, pat);
	if (p) {
		*p = '\0';
		return;
	}
	n = strlen(word);
	p = strrchr(line, ' ');
	if (p && !strcmp(p + 1, word) && n)
		*p = '\0';
}

/*
 * Each unindented line of @text (indented ones are counters), given to
 * @fn with @arg; stops at the first error.
 */
static int each_line(char *text, int (*fn)(struct conf *c, char *line,
					    const char *tenant),
		     struct conf *c, const char *tenant)
{
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (line[0] != ' ' && line[0] != '\t' && fn(c, line, tenant))
			return -1;
	return 0;
}

static int __attribute__((format(printf, 3, 4)))
add_line(struct conf *c, uint32_t handle, const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return conf_add(c, line, handle);
}

/* "underlay A dev D encap E port P tunnel T mtu M" */
static int host_line(struct conf *c, char *line, const char *tenant)
{
	(void)tenant;	/* the host's, or every tenant's */
	cut_at(line, "tunnel");
	return add_line(c, 0, "host set %s", line);
}

/* "dev D ifindex I addr A ..." */
static int uplink_line(struct conf *c, char *line, const char *tenant)
{
	(void)tenant;	/* the host's, or every tenant's */
	cut_at(line, "ifindex");
	return add_line(c, 0, "uplink set %s", line);
}

/* "NAME id I vni V router-mac M ports P routes R" */
static int tenant_line(struct conf *c, char *line, const char *tenant)
{
	(void)tenant;	/* the host's, or every tenant's */
	cut_at(line, "ports");
	return add_line(c, 0, "tenant add %s", line);
}

/* "DEV tenant T mac M ip A ... state S ..." */
static int port_line(struct conf *c, char *line, const char *tenant)
{
	char *w[CONF_MAX_WORDS], *copy;
	const char *t;
	int n, ret = 0;

	cut_at(line, "state");
	copy = strdup(line);
	if (!copy)
		return -1;
	n = split_words(copy, w, CONF_MAX_WORDS);
	t = word_after(w, n, "tenant");
	if (!tenant[0] || (t && !strcmp(t, tenant)))
		ret = add_line(c, 0, "port add %s", line);
	free(copy);
	return ret;
}

/*
 * "tenant T policy P [log] zone Z ...", then a rule a line: "handle H
 * prio P dir ..." (its counters, indented, are skipped).
 */
static int fw_line(struct conf *c, char *line, const char *tenant)
{
	char *end;
	unsigned long h;

	if (!strncmp(line, "tenant ", 7)) {
		cut_at(line, "zone");
		end = strstr(line, " policy ");
		return add_line(c, 0, "fw policy tenant %s%s", tenant,
			       end ? end + 7 : "");
	}
	if (strncmp(line, "handle ", 7))
		return 0;
	h = strtoul(line + 7, &end, 10);
	while (*end == ' ')
		end++;
	return add_line(c, h, "fw rule add tenant %s %s", tenant, end);
}

/* "group G [prefixes P...] rules N", "pgroup G [ports P...] rules N" */
static int group_line(struct conf *c, char *line, const char *tenant)
{
	bool pg = !strncmp(line, "pgroup ", 7);
	char *name = strchr(line, ' '), *rest;

	if (!name)
		return 0;
	name++;
	cut_at(name, "rules");
	rest = strchr(name, ' ');
	if (rest) {
		*rest++ = '\0';
		rest = strchr(rest, ' ');	/* past "prefixes" or "ports" */
	}
	return add_line(c, 0, "fw %s add tenant %s %s%s",
			pg ? "pgroup" : "group", tenant, name, rest ?: "");
}

/* A route as route show prints it; a port's own routes are not saved. */
static int route_line(struct conf *c, char *line, const char *tenant)
{
	if (strstr(line, " proto port"))
		return 0;
	return add_line(c, 0, "route add tenant %s %s", tenant, line);
}

/* "RULE # handle H", then its counters, indented. */
static int nat_line(struct conf *c, char *line, const char *tenant)
{
	char *h = strstr(line, " # handle ");

	if (!h)
		return 0;
	*h = '\0';
	return add_line(c, strtoul(h + 10, NULL, 10),
		       "nat add tenant %s %s", tenant, line);
}

/* The lines `nvctl ARGS` gives, through @fn. */
static int read_show(struct nvctl *ctl, struct conf *c, const char *tenant,
		     bool quiet, int (*fn)(struct conf *c, char *line,
					   const char *tenant),
		     char *const *args)
{
	char *text = capture(ctl, quiet, args);
	int ret;

	if (!text)
		return quiet ? 0 : -1;
	ret = each_line(text, fn, c, tenant);
	free(text);
	return ret;
}

/* The objects of tenant @t that its own show commands list. */
static int read_tenant(struct nvctl *ctl, struct conf *c, char *t)
{
	char *fw[] = { "fw", "show", "tenant", t, NULL };
	char *groups[] = { "fw", "group", "show", "tenant", t, NULL };
	char *pgroups[] = { "fw", "pgroup", "show", "tenant", t, NULL };
	char *routes[] = { "route", "show", "tenant", t, NULL };
	char *nat[] = { "nat", "show", "tenant", t, NULL };

	return read_show(ctl, c, t, false, fw_line, fw) ||
	       read_show(ctl, c, t, false, group_line, groups) ||
	       read_show(ctl, c, t, false, group_line, pgroups) ||
	       read_show(ctl, c, t, false, route_line, routes) ||
	       read_show(ctl, c, t, false, nat_line, nat);
}

static int gen_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NETVIRT_A_CONFIG_GEN &&
	    !mnl_attr_validate(attr, MNL_TYPE_U64))
		*(uint64_t *)data = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, GENL_HDRLEN, gen_attr_cb, data);
	return MNL_CB_OK;
}

/* The generation of the published configuration. */
static int read_gen(uint64_t *gen)
{
	struct nl_call call = {
		.cmd = NETVIRT_CMD_INFO_GET, .cb = gen_cb, .data = gen,
		.what = "reading the generation",
	};

	return nl_call(&call);
}

/* Sorts by kind, keeping the order within a kind (the show order). */
static void conf_sort(struct conf *c)
{
	struct conf_line *sorted = malloc(c->n * sizeof(*sorted));
	size_t i, n = 0;
	int k;

	if (!sorted)
		return;		/* the order of the shows is a valid one too */
	for (k = 0; k < CONF_KINDS; k++)
		for (i = 0; i < c->n; i++)
			if (c->lines[i].kind == (enum conf_kind)k)
				sorted[n++] = c->lines[i];
	free(c->lines);
	c->lines = sorted;
	c->size = c->n;
}

static int read_once(struct nvctl *ctl, struct conf *c, const char *tenant)
{
	char *host[] = { "host", "show", NULL }, *uplink[] = { "uplink", "show", NULL };
	char *tenants[] = { "tenant", "show", (char *)tenant, NULL };
	char *ports[] = { "port", "show", NULL };
	size_t i, n;

	if (!tenant &&
	    (read_show(ctl, c, "", true, host_line, host) ||
	     read_show(ctl, c, "", true, uplink_line, uplink)))
		return -1;
	n = c->n;
	if (read_show(ctl, c, "", false, tenant_line, tenants))
		return -1;
	for (i = n; i < c->n; i++)
		if (c->lines[i].kind == CONF_TENANT &&
		    read_tenant(ctl, c, c->lines[i].key))
			return -1;
	if (read_show(ctl, c, tenant ?: "", false, port_line, ports))
		return -1;
	conf_sort(c);
	return 0;
}

/**
 * conf_read_module() - the configuration the module has, as lines
 * @ctl: nvctl's options
 * @c: filled, empty before
 * @tenant: one tenant's configuration only, or NULL for the host's
 *
 * Read again when the generation changed meanwhile, so that @c is one
 * generation's, @c->gen.
 *
 * Return: 0, or -1 with an error printed.
 */
int conf_read_module(struct nvctl *ctl, struct conf *c, const char *tenant)
{
	uint64_t before, after;
	int tries;

	for (tries = 0; tries < GEN_TRIES; tries++) {
		if (read_gen(&before) || read_once(ctl, c, tenant) ||
		    read_gen(&after))
			return -1;
		c->gen = before;
		if (before == after)
			return 0;
		conf_free(c);
	}
	error("the configuration kept changing while it was read; try again");
	return -1;
}

/* Lines of @tenant only, when given; a file's error names the line. */
static int check_tenant(const struct conf *c, const char *tenant)
{
	const struct conf_line *l = &c->lines[c->n - 1];

	if (!tenant || !strcmp(l->tenant, tenant))
		return 0;
	error("not a line of tenant %s: \"%s\"", tenant, l->text);
	return -1;
}

/**
 * conf_is_json() - whether a file holds save -j's document
 * @f: the file, at its start; left where it was, less leading blanks
 *
 * Return: true when its first character that is not a blank is "{".
 */
bool conf_is_json(FILE *f)
{
	int ch;

	while ((ch = getc(f)) == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
		;
	ungetc(ch, f);
	return ch == '{';
}

/**
 * conf_json_lines() - each line of save -j's document, {"gen":G,"lines":[...]}
 * @f: the document
 * @file: its name in errors, which name an entry of "lines" (from 1) as
 *	its line (error_at())
 * @fn: called with @arg, a copy of the line it may change, and its number;
 *	what is not 0 stops the walk, and is returned
 * @arg: for @fn
 *
 * Return: 0, or what stopped the walk (-1 for the document's own errors,
 * printed).
 */
int conf_json_lines(FILE *f, const char *file,
		    int (*fn)(void *arg, char *line, unsigned int n), void *arg)
{
	json_error_t jerr;
	json_t *doc = json_loadf(f, 0, &jerr), *lines, *v;
	char *line;
	size_t i;
	int ret = 0;

	lines = doc ? json_object_get(doc, "lines") : NULL;
	if (!json_is_array(lines)) {
		error("%s: not a saved configuration: %s", file,
		      doc ? "no \"lines\" array" : jerr.text);
		json_decref(doc);
		return -1;
	}
	json_array_foreach(lines, i, v) {
		error_at(file, i + 1);
		line = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
		if (!line) {
			error(json_is_string(v) ? "no memory" : "not a string");
			ret = -1;
		} else {
			ret = fn(arg, line, i + 1);
		}
		free(line);
		if (ret)
			break;
	}
	error_at(NULL, 0);
	json_decref(doc);
	return ret;
}

/**
 * conf_read_file() - a saved configuration from a file
 * @c: filled, empty before
 * @file: its name, "-" for standard input
 * @tenant: every line must be this tenant's, or NULL
 *
 * Return: 0, or -1 with an error printed (naming the line).
 */
/* What conf_read_file() reads of a line. */
struct read_ctx {
	struct conf *c;
	const char *tenant;
};

static int read_line(void *arg, char *line, unsigned int n)
{
	struct read_ctx *r = arg;
	char *p;

	(void)n;
	line[strcspn(line, "\r\n")] = '\0';
	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	if (!*p || *p == '#')
		return 0;
	return conf_add(r->c, p, 0) ?: check_tenant(r->c, r->tenant);
}

int conf_read_file(struct conf *c, const char *file, const char *tenant)
{
	struct read_ctx r = { .c = c, .tenant = tenant };
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	if (!f) {
		error("cannot open %s: %s", file, strerror(errno));
		return -1;
	}
	if (conf_is_json(f)) {
		ret = conf_json_lines(f, name, read_line, &r);
		goto out;
	}
	while (!ret && getline(&line, &cap, f) >= 0) {
		error_at(name, ++lineno);
		ret = read_line(&r, line, lineno);
	}
	error_at(NULL, 0);
	free(line);
out:
	if (f != stdin)
		fclose(f);
	if (!ret)
		conf_sort(c);
	return ret;
}

/* A line of @c of @kind, @tenant and @key other than @skip, or NULL. */
static struct conf_line *find(struct conf *c, enum conf_kind kind,
			      const char *tenant, const char *key)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->lines[i].kind == kind &&
		    !strcmp(c->lines[i].tenant, tenant) &&
		    !strcmp(c->lines[i].key, key))
			return &c->lines[i];
	return NULL;
}

/* Whether @word is a word of @text. */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word))) {
		if ((p == text || p[-1] == ' ') && (!p[n] || p[n] == ' '))
			return true;
		p += n;
	}
	return false;
}

/* Lines that stay: the same text on both sides, each used once. */
static void match(struct conf *cur, struct conf *want)
{
	size_t i, j;

	for (i = 0; i < want->n; i++)
		for (j = 0; j < cur->n; j++)
			if (cur->lines[j].state == UNMATCHED &&
			    !strcmp(cur->lines[j].text, want->lines[i].text)) {
				cur->lines[j].state = KEPT;
				want->lines[i].state = KEPT;
				break;
			}
}

/* Un-keeps @want's lines that @pred picks: they must be made again. */
static void redo(struct conf *want, bool (*pred)(const struct conf_line *l,
						 const char *arg),
		 const char *arg)
{
	size_t i;

	for (i = 0; i < want->n; i++)
		if (pred(&want->lines[i], arg))
			want->lines[i].state = UNMATCHED;
}

static bool of_tenant(const struct conf_line *l, const char *t)
{
	return !strcmp(l->tenant, t);
}

/* A rule, route or port group that names port @dev. */
static bool names_port(const struct conf_line *l, const char *dev)
{
	return (l->kind == CONF_RULE || l->kind == CONF_ROUTE ||
		l->kind == CONF_PGROUP) && has_word(l->text, dev);
}

/*
 * A tenant deleted, or made again (another id or VNI): "tenant del NAME
 * force" takes every object of it along, and what the file has of it is
 * made again. A port deleted or made again: "port del DEV force" takes
 * the rules, routes and group memberships that name it along.
 */
static void cascade(struct conf *cur, struct conf *want)
{
	struct conf_line *l;
	size_t i, j;

	for (i = 0; i < cur->n; i++) {
		l = &cur->lines[i];
		if (l->state != UNMATCHED)
			continue;
		if (l->kind == CONF_TENANT) {
			for (j = 0; j < cur->n; j++)
				if (j != i && of_tenant(&cur->lines[j], l->key))
					cur->lines[j].state = GONE;
			redo(want, of_tenant, l->key);
		} else if (l->kind == CONF_PORT) {
			for (j = 0; j < cur->n; j++)
				if (cur->lines[j].state == KEPT &&
				    names_port(&cur->lines[j], l->key))
					cur->lines[j].state = GONE;
			redo(want, names_port, l->key);
		}
	}
}

/* The command that undoes @l, a line of the module's, or "" for none. */
static void undo(const struct conf_line *l, struct conf *want, char *out,
		 size_t size)
{
	out[0] = '\0';
	switch (l->kind) {
	case CONF_HOST:
		if (!find(want, CONF_HOST, "", ""))
			snprintf(out, size, "host del");
		break;
	case CONF_UPLINK:
		if (!find(want, CONF_UPLINK, "", ""))
			snprintf(out, size, "uplink del");
		break;
	case CONF_TENANT:
		snprintf(out, size, "tenant del %s force", l->key);
		break;
	case CONF_GROUP:
	case CONF_PGROUP:
		if (!find(want, l->kind, l->tenant, l->key))
			snprintf(out, size, "fw %s del tenant %s %s",
				 l->kind == CONF_GROUP ? "group" : "pgroup",
				 l->tenant, l->key);
		break;
	case CONF_PORT:
		snprintf(out, size, "port del %s force", l->key);
		break;
	case CONF_ROUTE:
		snprintf(out, size, "route del tenant %s %s", l->tenant, l->key);
		break;
	case CONF_RULE:
		snprintf(out, size, "fw rule del tenant %s handle %" PRIu32,
			 l->tenant, l->handle);
		break;
	case CONF_NAT:
		snprintf(out, size, "nat del tenant %s handle %" PRIu32,
			 l->tenant, l->handle);
		break;
	default:	/* a policy: set again, or gone with its tenant */
		break;
	}
}

/*
 * The command that makes @l, a line of the file: its own text, but a
 * group the module keeps (its tenant stays) is set, not added.
 */
static void make(const struct conf_line *l, struct conf *cur, char *out,
		 size_t size)
{
	const struct conf_line *had = find(cur, l->kind, l->tenant, l->key);
	const struct conf_line *t = find(cur, CONF_TENANT, l->tenant, l->tenant);
	const char *add;

	snprintf(out, size, "%s", l->text);
	if ((l->kind != CONF_GROUP && l->kind != CONF_PGROUP) || !had ||
	    (t && t->state != KEPT))
		return;
	add = strstr(out, " add ");
	if (add)
		memcpy((char *)add + 1, "set", 3);
}

/**
 * conf_plan() - what turns @cur, the module's, into @want, a file's
 * @cur: read from the module (handles known)
 * @want: read from a file
 * @plan: gets the commands, one a line, in an order that applies; or NULL
 * @diff: gets "-" lines of @cur and "+" lines of @want that differ; or NULL
 *
 * Return: the number of commands.
 */
int conf_plan(struct conf *cur, struct conf *want, FILE *plan, FILE *diff)
{
	char cmd[4096];
	int k, n = 0;
	size_t i;

	match(cur, want);
	cascade(cur, want);
	for (k = CONF_KINDS - 1; k >= 0; k--)
		for (i = 0; i < cur->n; i++) {
			const struct conf_line *l = &cur->lines[i];

			if (l->kind != (enum conf_kind)k || l->state == KEPT)
				continue;
			if (diff)
				fprintf(diff, "-%s\n", l->text);
			if (l->state == GONE)
				continue;
			undo(l, want, cmd, sizeof(cmd));
			if (cmd[0] && plan)
				fprintf(plan, "%s\n", cmd);
			n += !!cmd[0];
		}
	for (i = 0; i < want->n; i++) {
		const struct conf_line *l = &want->lines[i];

		if (l->state == KEPT)
			continue;
		if (diff)
			fprintf(diff, "+%s\n", l->text);
		make(l, cur, cmd, sizeof(cmd));
		if (plan)
			fprintf(plan, "%s\n", cmd);
		n++;
	}
	return n;
}

/* yaml_doc.c - streams libyaml events into a node tree, refusing hostile input early. */
/* The only file that includes yaml.h (so plan_yaml_version lives here too), and the only
 * place where libyaml's zero-based marks are turned into 1-based lines and columns. */
#include "alloc.h"
#include "yaml_doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "arena.h"
#include "bind.h"
#include "plan.h"

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

/* An open sequence or mapping: its node and the children read so far. */
struct yframe {
	struct ynode *node;
	struct ynode **kids;
	size_t n, alloc;
	const char *anchor; /* anchor of the open node, to refuse aliases to it */
};

struct yanchor {
	const char *name;
	struct ynode *node;
};

struct ybuild {
	struct ydoc *doc;
	struct diag_list *dl;
	const char *text;
	size_t len;
	struct yframe stack[YDOC_MAX_DEPTH];
	int depth;
	struct yanchor *anchors; /* open-addressing hash table */
	size_t nanchors, aanchors;
	size_t max_nodes;
	int ndocs;
	int failed;	   /* PLAN_EINVALID or PLAN_ENOMEM once reading must stop */
	size_t soft;	   /* problems that let reading go on, reported so far */
	size_t suppressed; /* and those past BIND_MAX_ERRORS, only counted */
};

/* Record an error at a zero-based libyaml position. */
static void yerr_at(struct ybuild *b, size_t line0, size_t col0, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void yerr_at(struct ybuild *b, size_t line0, size_t col0, const char *fmt, ...)
{
	va_list ap;
	int line = line0 < INT32_MAX ? (int)line0 + 1 : 0;
	int col = col0 < INT32_MAX ? (int)col0 + 1 : 0;

	va_start(ap, fmt);
	diag_vadd(b->dl, DIAG_ERROR, b->doc->file, line, col, NULL, fmt, ap);
	va_end(ap);
}

static void fail(struct ybuild *b, int rc)
{
	if (!b->failed)
		b->failed = rc;
}

/* Record a problem that does not stop reading (a duplicate key, say) at a node.  A file may
 * hold hundreds of thousands of them: past the cap they are only counted. */
static void soft_error(struct ybuild *b, const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void soft_error(struct ybuild *b, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	if (b->soft >= BIND_MAX_ERRORS) {
		b->suppressed++;
		return;
	}
	b->soft++;
	va_start(ap, fmt);
	diag_vadd(b->dl, DIAG_ERROR, b->doc->file, at->line, at->col, NULL, fmt, ap);
	va_end(ap);
}

/* Byte offset of a zero-based (line, column) position; columns count characters. */
static size_t offset_of(const struct ybuild *b, size_t line0, size_t col0)
{
	const unsigned char *t = (const unsigned char *)b->text;
	size_t i = 0, line = 0, col = 0;

	while (i < b->len && line < line0) {
		if (t[i] == '\n' || t[i] == '\r') {
			if (t[i] == '\r' && i + 1 < b->len && t[i + 1] == '\n')
				i++;
			line++;
		}
		i++;
	}
	while (i < b->len && col < col0 && t[i] != '\n' && t[i] != '\r') {
		i++;
		while (i < b->len && (t[i] & 0xc0) == 0x80)
			i++;
		col++;
	}
	return i;
}

/* 1 when nothing but spaces and tabs precede byte `off` on its (zero-based) line. */
static int only_blanks_before(const struct ybuild *b, size_t line0, size_t off)
{
	size_t i;

	for (i = offset_of(b, line0, 0); i < off && i < b->len; i++)
		if (b->text[i] != ' ' && b->text[i] != '\t')
			return 0;
	return 1;
}

/* Zero-based (line, column) of a byte offset, counting columns as diag_print does. */
static void position_of(const struct ybuild *b, size_t off, size_t *line0, size_t *col0)
{
	const unsigned char *t = (const unsigned char *)b->text;
	size_t i, line = 0, start = 0, col = 0;

	if (off > b->len)
		off = b->len;
	for (i = 0; i < off; i++) {
		if (t[i] == '\n' || (t[i] == '\r' && !(i + 1 < b->len && t[i + 1] == '\n'))) {
			line++;
			start = i + 1;
		}
	}
	for (i = start; i < off; col++) {
		size_t k = diag_utf8_len(t + i, b->len - i);

		i += k ? k : 1;
	}
	*line0 = line;
	*col0 = col;
}

static uint64_t hash_name(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct yanchor *anchor_slot(struct yanchor *tab, size_t cap, const char *name)
{
	size_t i = (size_t)hash_name(name) & (cap - 1);

	while (tab[i].name && strcmp(tab[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

/* Remember an anchor.  YAML lets a later anchor take over the name; a plan may not: which
 * node an alias means would depend on where the reader looks (libyaml's own loader refuses
 * it too).  Returns -1 when out of memory or (reported) when the name is taken. */
static int anchor_set(struct ybuild *b, const char *name, struct ynode *node)
{
	struct yanchor *s;

	if (b->nanchors * 2 >= b->aanchors) {
		size_t na = b->aanchors ? b->aanchors * 2 : 64, i;
		struct yanchor *nt = pc_calloc(na, sizeof(*nt));

		if (!nt)
			return -1;
		for (i = 0; i < b->aanchors; i++)
			if (b->anchors[i].name)
				*anchor_slot(nt, na, b->anchors[i].name) = b->anchors[i];
		free(b->anchors);
		b->anchors = nt;
		b->aanchors = na;
	}
	s = anchor_slot(b->anchors, b->aanchors, name);
	if (s->name) {
		diag_add(b->dl, DIAG_ERROR, b->doc->file, node->line, node->col, NULL,
			 "duplicate anchor '&%s' (first at line %d)", name, s->node->line);
		fail(b, PLAN_EINVALID);
		return -1;
	}
	b->nanchors++;
	s->name = name;
	s->node = node;
	return 0;
}

static struct ynode *anchor_get(const struct ybuild *b, const char *name)
{
	if (!b->aanchors)
		return NULL;
	return anchor_slot(b->anchors, b->aanchors, name)->node;
}

/* Count nodes against the budget; 0 while within it. */
static int count_nodes(struct ybuild *b, size_t k, yaml_mark_t m)
{
	if (k > b->max_nodes - b->doc->nodes) {
		yerr_at(b, m.line, m.column, "more than %zu nodes (aliases counted expanded)",
			YDOC_MAX_NODES);
		fail(b, PLAN_EINVALID);
		return -1;
	}
	b->doc->nodes += k;
	return 0;
}

/* Accept the standard tags (written !!str, !!int, ...) and refuse application tags. */
static int check_tag(struct ybuild *b, const yaml_char_t *tag, yaml_mark_t m, int *is_str)
{
	static const char *const ok[] = {"str", "int", "float", "bool", "null", "seq", "map"};
	const char *t = (const char *)tag;
	size_t i, np = strlen(YAML_TAG_PREFIX);

	*is_str = 0;
	if (!t || strcmp(t, "!") == 0)
		return 0;
	if (strncmp(t, YAML_TAG_PREFIX, np) == 0) {
		for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
			if (strcmp(t + np, ok[i]) == 0) {
				*is_str = i == 0;
				return 0;
			}
		}
		yerr_at(b, m.line, m.column, "unsupported tag '!!%s'", t + np);
	} else {
		yerr_at(b, m.line, m.column, "unsupported tag '%s'", t);
	}
	fail(b, PLAN_EINVALID);
	return -1;
}

/* A node; a scalar's text (len bytes) is stored right after it. */
static struct ynode *node_new(struct ybuild *b, enum ynode_kind kind, yaml_mark_t m,
			      const unsigned char *text, size_t len)
{
	size_t extra = kind == YNODE_SCALAR ? len + 1 : 0;
	struct ynode *n =
	    arena_alloc_aligned(b->doc->arena, sizeof(*n) + extra, _Alignof(struct ynode));

	if (!n) {
		fail(b, PLAN_ENOMEM);
		return NULL;
	}
	if (kind == YNODE_SCALAR) {
		char *t = (char *)(n + 1);

		memcpy(t, text, len);
		t[len] = '\0';
		n->text = t;
		n->len = (uint32_t)len;
	}
	n->kind = (unsigned char)kind;
	n->line = m.line < INT32_MAX ? (int)m.line + 1 : 0;
	n->col = m.column < INT32_MAX ? (int)m.column + 1 : 0;
	n->weight = 1;
	return n;
}

/* Attach a finished node to the open container, or make it the document's root. */
static void add_child(struct ybuild *b, struct ynode *n)
{
	struct yframe *f;

	if (b->depth == 0) {
		b->doc->root = n;
		return;
	}
	f = &b->stack[b->depth - 1];
	if (f->n == f->alloc) {
		size_t na = f->alloc ? f->alloc * 2 : 8;
		struct ynode **nk = pc_realloc(f->kids, na * sizeof(*nk));

		if (!nk) {
			fail(b, PLAN_ENOMEM);
			return;
		}
		f->kids = nk;
		f->alloc = na;
	}
	f->kids[f->n++] = n;
}

static const char *anchor_copy(struct ybuild *b, const yaml_char_t *anchor)
{
	const char *a;

	if (!anchor)
		return NULL;
	a = arena_strdup(b->doc->arena, (const char *)anchor);
	if (!a)
		fail(b, PLAN_ENOMEM);
	return a;
}

static void on_scalar(struct ybuild *b, const yaml_event_t *ev)
{
	const unsigned char *v = ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct ynode *n;
	int is_str;
	const char *anchor;

	if (len > YDOC_MAX_SCALAR) {
		yerr_at(b, ev->start_mark.line, ev->start_mark.column,
			"scalar longer than %zu bytes", YDOC_MAX_SCALAR);
		fail(b, PLAN_EINVALID);
		return;
	}
	if (memchr(v, 0, len)) {
		yerr_at(b, ev->start_mark.line, ev->start_mark.column, "NUL character in a string");
		fail(b, PLAN_EINVALID);
		return;
	}
	if (check_tag(b, ev->data.scalar.tag, ev->start_mark, &is_str) ||
	    count_nodes(b, 1, ev->start_mark))
		return;
	n = node_new(b, YNODE_SCALAR, ev->start_mark, v, len);
	if (!n)
		return;
	n->quoted = is_str || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
		    (ev->data.scalar.tag && strcmp((const char *)ev->data.scalar.tag, "!") == 0);
	if (!n->quoted && !ev->data.scalar.tag &&
	    (len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
	     strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0))
		n->null = 1;
	anchor = anchor_copy(b, ev->data.scalar.anchor);
	if (anchor && anchor_set(b, anchor, n)) {
		fail(b, PLAN_ENOMEM); /* a no-op when the name was taken: that failed first */
		return;
	}
	add_child(b, n);
}

static void on_start(struct ybuild *b, const yaml_event_t *ev, enum ynode_kind kind)
{
	const yaml_char_t *tag =
	    kind == YNODE_SEQ ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;
	const yaml_char_t *anchor =
	    kind == YNODE_SEQ ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
	struct yframe *f;
	int is_str;

	/* Checked before going deeper: libyaml's time grows with the square of the depth. */
	if (b->depth >= YDOC_MAX_DEPTH) {
		yerr_at(b, ev->start_mark.line, ev->start_mark.column,
			"nesting deeper than %d levels", YDOC_MAX_DEPTH);
		fail(b, PLAN_EINVALID);
		return;
	}
	if (check_tag(b, tag, ev->start_mark, &is_str))
		return;
	if (is_str) {
		yerr_at(b, ev->start_mark.line, ev->start_mark.column, "'!!str' cannot tag a %s",
			kind == YNODE_SEQ ? "sequence" : "mapping");
		fail(b, PLAN_EINVALID);
		return;
	}
	if (count_nodes(b, 1, ev->start_mark))
		return;
	f = &b->stack[b->depth];
	memset(f, 0, sizeof(*f));
	f->node = node_new(b, kind, ev->start_mark, NULL, 0);
	if (!f->node)
		return;
	f->anchor = anchor_copy(b, anchor);
	b->depth++;
}

struct keyref {
	const struct ynode *key;
	size_t idx;
};

static int keyref_cmp(const void *pa, const void *pb)
{
	const struct keyref *a = pa, *b = pb;
	size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
	int c = memcmp(a->key->text, b->key->text, n);

	if (c)
		return c;
	if (a->key->len != b->key->len)
		return a->key->len < b->key->len ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Build a mapping's pairs: keys must be scalars, merge keys are refused, and a key given
 * twice is reported and dropped (the first one stays). */
static int build_pairs(struct ybuild *b, struct ynode *map, struct ynode **kids, size_t nkids)
{
	size_t np = nkids / 2, i, k = 0, first;
	struct keyref *refs;
	unsigned char *drop;

	map->pairs = arena_array(b->doc->arena, np, sizeof(*map->pairs));
	refs = pc_malloc((np ? np : 1) * sizeof(*refs));
	drop = pc_calloc(np ? np : 1, 1);
	if (!map->pairs || !refs || !drop) {
		free(refs);
		free(drop);
		return -1;
	}
	for (i = 0; i < np; i++) {
		struct ynode *key = kids[2 * i];

		if (key->kind != YNODE_SCALAR) {
			soft_error(b, key, "mapping keys must be plain names, not %s",
				   ynode_kind_name(key));
			drop[i] = 1;
		} else if (!key->quoted && strcmp(key->text, "<<") == 0) {
			soft_error(b, key, "merge keys ('<<') are not supported");
			drop[i] = 1;
		} else {
			refs[k].key = key;
			refs[k].idx = i;
			k++;
		}
	}
	qsort(refs, k, sizeof(*refs), keyref_cmp);
	for (i = 1, first = 0; i < k; i++) {
		const struct ynode *a = refs[first].key, *dup = refs[i].key;

		if (a->len != dup->len || memcmp(a->text, dup->text, a->len) != 0) {
			first = i;
			continue;
		}
		soft_error(b, dup, "duplicate key '%s' (first at line %d)", dup->text, a->line);
		drop[refs[i].idx] = 1;
	}
	map->len = 0;
	for (i = 0; i < np; i++) {
		if (drop[i])
			continue;
		map->pairs[map->len].key = kids[2 * i];
		map->pairs[map->len].value = kids[2 * i + 1];
		map->len++;
	}
	free(refs);
	free(drop);
	return 0;
}

static void on_end(struct ybuild *b)
{
	struct yframe *f = &b->stack[b->depth - 1];
	struct ynode *n = f->node;
	size_t i;

	for (i = 0; i < f->n; i++)
		n->weight += f->kids[i]->weight;
	if (n->kind == YNODE_SEQ) {
		n->items = arena_memdup(b->doc->arena, f->kids, f->n * sizeof(*f->kids));
		n->len = (uint32_t)f->n;
		if (!n->items)
			fail(b, PLAN_ENOMEM);
	} else if (build_pairs(b, n, f->kids, f->n)) {
		fail(b, PLAN_ENOMEM);
	}
	free(f->kids);
	f->kids = NULL;
	b->depth--;
	if (b->failed)
		return;
	if (f->anchor && anchor_set(b, f->anchor, n)) {
		fail(b, PLAN_ENOMEM);
		return;
	}
	add_child(b, n);
}

static void on_alias(struct ybuild *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct ynode *target = anchor_get(b, name);
	int i;

	if (!target) {
		for (i = 0; i < b->depth; i++) {
			if (b->stack[i].anchor && strcmp(b->stack[i].anchor, name) == 0) {
				yerr_at(b, ev->start_mark.line, ev->start_mark.column,
					"alias '*%s' refers to a node that contains it", name);
				fail(b, PLAN_EINVALID);
				return;
			}
		}
		yerr_at(b, ev->start_mark.line, ev->start_mark.column, "unknown anchor '%s'", name);
		fail(b, PLAN_EINVALID);
		return;
	}
	if (count_nodes(b, target->weight, ev->start_mark))
		return;
	add_child(b, target);
}

/* Turn libyaml's failure into one located diagnostic. */
static void report_parse_error(struct ybuild *b, const yaml_parser_t *p)
{
	size_t line0, col0, off;
	const char *problem = p->problem ? p->problem : "cannot parse the YAML";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		fail(b, PLAN_ENOMEM);
		return;
	case YAML_READER_ERROR:
		off = p->problem_offset;
		if (off > b->len)
			off = b->len;
		/* libyaml points at a bad continuation byte; the character starts before it */
		if (strstr(problem, "trailing")) {
			size_t back = 0;

			while (off > 0 && back < 3 &&
			       ((unsigned char)b->text[off] & 0xc0) != 0xc0) {
				off--;
				back++;
			}
		}
		position_of(b, off, &line0, &col0);
		if (p->problem_value == 0 && !strstr(problem, "UTF-8"))
			yerr_at(b, line0, col0, "NUL byte in the input");
		else if (strstr(problem, "UTF-8") || strstr(problem, "Unicode"))
			yerr_at(b, line0, col0,
				"invalid UTF-8 (byte 0x%02x): plan files must be UTF-8 text",
				off < b->len ? (unsigned char)b->text[off] : 0u);
		else if (p->problem_value > 0)
			yerr_at(b, line0, col0, "%s (byte 0x%02x)", problem,
				(unsigned)p->problem_value & 0xffu);
		else
			yerr_at(b, line0, col0, "%s", problem);
		break;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		line0 = p->problem_mark.line;
		col0 = p->problem_mark.column;
		off = offset_of(b, line0, col0);
		if (off < b->len && b->text[off] == '\t' && only_blanks_before(b, line0, off)) {
			yerr_at(b, line0, col0, "tabs are not allowed for indentation");
		} else if (p->context &&
			   (p->context_mark.line != line0 || p->context_mark.column != col0)) {
			yerr_at(b, line0, col0, "%s (%s that starts at line %zu, column %zu)",
				problem, p->context, p->context_mark.line + 1,
				p->context_mark.column + 1);
		} else if (p->context) {
			yerr_at(b, line0, col0, "%s %s", problem, p->context);
		} else {
			yerr_at(b, line0, col0, "%s", problem);
		}
		break;
	default:
		yerr_at(b, p->problem_mark.line, p->problem_mark.column, "%s", problem);
		break;
	}
	fail(b, PLAN_EINVALID);
}

static void read_events(struct ybuild *b, yaml_parser_t *parser)
{
	yaml_event_t ev;
	int done = 0;

	while (!done && !b->failed) {
		if (!yaml_parser_parse(parser, &ev)) {
			report_parse_error(b, parser);
			return;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++b->ndocs > 1) {
				yerr_at(b, ev.start_mark.line, ev.start_mark.column,
					"a plan file holds one YAML document; found a second");
				fail(b, PLAN_EINVALID);
			}
			break;
		case YAML_SCALAR_EVENT:
			on_scalar(b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			on_start(b, &ev, YNODE_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			on_start(b, &ev, YNODE_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			on_end(b);
			break;
		case YAML_ALIAS_EVENT:
			on_alias(b, &ev);
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
}

static void check_root(struct ybuild *b)
{
	const struct ynode *r = b->doc->root;

	if (!r) {
		yerr_at(b, 0, 0, "the file is empty (expected a mapping of plan keys)");
	} else if (r->kind == YNODE_SCALAR && r->null) {
		yerr_at(b, (size_t)r->line - 1, (size_t)r->col - 1,
			"the document is empty (expected a mapping of plan keys)");
	} else if (r->kind != YNODE_MAP) {
		yerr_at(b, (size_t)r->line - 1, (size_t)r->col - 1,
			"the top level must be a mapping of plan keys (got %s)",
			ynode_kind_name(r));
	} else {
		return;
	}
	fail(b, PLAN_EINVALID);
}

int ydoc_read(struct ydoc **out, const char *file, const char *text, size_t len, size_t max_nodes,
	      struct diag_list *dl)
{
	struct ybuild b;
	yaml_parser_t parser;
	struct ydoc *doc;
	int i;

	*out = NULL;
	memset(&b, 0, sizeof(b));
	b.dl = dl;
	b.text = text;
	b.len = len;
	b.max_nodes = max_nodes;
	doc = pc_calloc(1, sizeof(*doc));
	if (!doc)
		return PLAN_ENOMEM;
	doc->arena = arena_new();
	if (!doc->arena || !(doc->file = arena_strdup(doc->arena, file))) {
		ydoc_free(doc);
		return PLAN_ENOMEM;
	}
	b.doc = doc;
	if (len > YDOC_MAX_BYTES) {
		diag_add(dl, DIAG_ERROR, file, 1, 1, NULL, "file larger than %zu MiB (%zu bytes)",
			 YDOC_MAX_BYTES >> 20, len);
		ydoc_free(doc);
		return PLAN_EINVALID;
	}
	if (!yaml_parser_initialize(&parser)) {
		ydoc_free(doc);
		return PLAN_ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	read_events(&b, &parser);
	yaml_parser_delete(&parser);
	for (i = 0; i < b.depth; i++)
		free(b.stack[i].kids);
	free(b.anchors);
	if (b.suppressed)
		diag_add(dl, DIAG_ERROR, file, 0, 0, NULL,
			 "%zu more problems not shown (stopped after %d)", b.suppressed,
			 BIND_MAX_ERRORS);
	if (!b.failed)
		check_root(&b);
	if (b.failed) {
		ydoc_free(doc);
		return b.failed;
	}
	*out = doc;
	return PLAN_OK;
}

void ydoc_free(struct ydoc *doc)
{
	if (!doc)
		return;
	arena_free(doc->arena);
	free(doc);
}

const struct ypair *ynode_find(const struct ynode *map, const char *key)
{
	size_t i;

	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (i = 0; i < map->len; i++)
		if (strcmp(map->pairs[i].key->text, key) == 0)
			return &map->pairs[i];
	return NULL;
}

const char *ynode_kind_name(const struct ynode *n)
{
	switch (n->kind) {
	case YNODE_SEQ:
		return "a sequence";
	case YNODE_MAP:
		return "a mapping";
	case YNODE_SCALAR:
		break;
	}
	return n->null ? "null" : "a scalar";
}

const char *plan_yaml_version(void)
{
	return yaml_get_version_string();
}

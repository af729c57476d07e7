/**
 * @file ytree.c
 * @brief YAML to located trees (libfyaml event parser), merge, --set, emit.
 */

/* system headers */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* libfyaml */
#include <libfyaml.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/util.h"
#include "jinsong/ytree.h"

/* ---------------------------------------------------------------- arena */

/** @brief Header of an arena block. */
struct yblock {
    struct yblock *prev;
    size_t size;
    _Alignas(16) unsigned char data[];
};

/**
 * @brief Allocates zeroed memory from the arena.
 * @param doc arena
 * @param n bytes
 */
static void *ydoc_alloc(struct js_ydoc *doc, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!doc->blocks || doc->used + n > doc->size) {
        size_t sz = n > 65536 ? n : 65536;
        struct yblock *b = js_xmalloc(sizeof(*b) + sz);
        b->prev = doc->blocks;
        b->size = sz;
        doc->blocks = b;
        doc->used = 0;
        doc->size = sz;
    }
    struct yblock *b = doc->blocks;
    void *p = b->data + doc->used;
    doc->used += n;
    memset(p, 0, n);
    return p;
}

/**
 * @brief Copies @p len bytes of @p s into the arena, NUL-terminated.
 * @param doc arena
 * @param s bytes
 * @param len how many
 */
static char *ydoc_strndup(struct js_ydoc *doc, const char *s, size_t len)
{
    char *d = ydoc_alloc(doc, len + 1);
    if (len)
        memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *js_ydoc_strdup(struct js_ydoc *doc, const char *s)
{
    return ydoc_strndup(doc, s, strlen(s));
}

void js_ydoc_free(struct js_ydoc *doc)
{
    struct yblock *b = doc->blocks;
    while (b) {
        struct yblock *prev = b->prev;
        free(b);
        b = prev;
    }
    memset(doc, 0, sizeof(*doc));
}

/* ---------------------------------------------------------------- nodes */

/**
 * @brief A new node.
 * @param doc arena
 * @param type node type
 * @param file file name (kept by pointer: must outlive the tree)
 * @param line 1-based line
 * @param col 1-based column
 */
static struct js_ynode *ynode_new(struct js_ydoc *doc, enum js_ytype type, const char *file,
                                  int line, int col)
{
    struct js_ynode *n = ydoc_alloc(doc, sizeof(*n));
    n->type = (uint8_t)type;
    n->file = file;
    n->line = line;
    n->col = col;
    n->value = NULL;
    return n;
}

/**
 * @brief Appends a child.
 * @param parent the map or list
 * @param child the node
 */
static void ynode_append(struct js_ynode *parent, struct js_ynode *child)
{
    child->parent = parent;
    child->next = NULL;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
    parent->nchildren++;
}

/**
 * @brief Deep copy of a node (for YAML aliases).
 * @param doc arena
 * @param n the node
 */
static struct js_ynode *ynode_copy(struct js_ydoc *doc, const struct js_ynode *n)
{
    struct js_ynode *c = ynode_new(doc, (enum js_ytype)n->type, n->file, n->line, n->col);
    c->quoted = n->quoted;
    c->value = n->value;
    for (const struct js_ynode *ch = n->first; ch; ch = ch->next) {
        struct js_ynode *cc = ynode_copy(doc, ch);
        cc->key = ch->key;
        cc->key_line = ch->key_line;
        cc->key_col = ch->key_col;
        ynode_append(c, cc);
    }
    return c;
}

struct js_ynode *js_ytree_get(const struct js_ynode *map, const char *key)
{
    if (!map || map->type != JS_YMAP)
        return NULL;
    for (struct js_ynode *c = map->first; c; c = c->next)
        if (strcmp(c->key, key) == 0)
            return c;
    return NULL;
}

bool js_ytree_is_null(const struct js_ynode *n)
{
    if (!n || n->type != JS_YSCALAR || n->quoted)
        return false;
    const char *v = n->value;
    return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

void js_ytree_remove(struct js_ynode *map, struct js_ynode *child)
{
    struct js_ynode **pp = &map->first, *prev = NULL;
    while (*pp && *pp != child) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = child->next;
    if (map->last == child)
        map->last = prev;
    map->nchildren--;
    child->parent = NULL;
    child->next = NULL;
}

/**
 * @brief Replaces @p old (a child of its parent) by @p repl, keeping the key.
 * @param old the child replaced
 * @param repl the new node
 */
static void ynode_replace(struct js_ynode *old, struct js_ynode *repl)
{
    struct js_ynode *parent = old->parent;
    repl->key = old->key;
    repl->key_line = old->key_line;
    repl->key_col = old->key_col;
    repl->parent = parent;
    repl->next = old->next;
    struct js_ynode **pp = &parent->first;
    while (*pp != old)
        pp = &(*pp)->next;
    *pp = repl;
    if (parent->last == old)
        parent->last = repl;
    old->parent = NULL;
    old->next = NULL;
}

void js_ytree_merge(struct js_ynode *base, struct js_ynode *over)
{
    JS_ASSERT(base->type == JS_YMAP && over->type == JS_YMAP);
    struct js_ynode *c = over->first;
    while (c) {
        struct js_ynode *next = c->next;
        struct js_ynode *b = js_ytree_get(base, c->key);
        if (b && js_ytree_is_null(c)) {
            js_ytree_remove(base, b); /* `key: null` deletes the key (documented in ytree.h) */
        } else if (b && b->type == JS_YMAP && c->type == JS_YMAP) {
            js_ytree_merge(b, c);
        } else if (b) {
            ynode_replace(b, c);
        } else {
            ynode_append(base, c);
        }
        c = next;
    }
    over->first = over->last = NULL;
    over->nchildren = 0;
}

void js_ytree_path(const struct js_ynode *n, char *buf, size_t len)
{
    const struct js_ynode *chain[64];
    int depth = 0;
    for (const struct js_ynode *p = n; p && p->parent && depth < 64; p = p->parent)
        chain[depth++] = p;
    size_t off = 0;
    buf[0] = '\0';
    for (int i = depth - 1; i >= 0; i--) {
        const struct js_ynode *c = chain[i];
        char idx[24];
        const char *part = c->key;
        if (!part) {
            int k = 0;
            for (const struct js_ynode *s = c->parent->first; s && s != c; s = s->next)
                k++;
            snprintf(idx, sizeof(idx), "[%d]", k);
            part = idx;
        }
        size_t pl = strlen(part);
        bool dot = off > 0 && c->key;
        if (off + pl + 2 > len)
            break;
        if (dot)
            buf[off++] = '.';
        memcpy(buf + off, part, pl + 1);
        off += pl;
    }
}

struct js_ynode *js_ytree_add_implicit_map(struct js_ydoc *doc, struct js_ynode *parent,
                                           const char *key)
{
    struct js_ynode *n = ynode_new(doc, JS_YMAP, parent->file, 0, 0);
    n->key = js_ydoc_strdup(doc, key);
    n->implicit = true;
    n->used = true;
    ynode_append(parent, n);
    return n;
}

void js_ytree_mark_used(struct js_ynode *n)
{
    n->used = true;
    for (struct js_ynode *c = n->first; c; c = c->next)
        js_ytree_mark_used(c);
}

/* ---------------------------------------------------------------- parsing */

/** @brief A container being built. */
struct yframe {
    struct js_ynode *node;
    char *pending_key; /* maps: key read, value not yet */
    int key_line, key_col;
    bool flow; /* written as [...] or {...} */
};

/** @brief An anchor seen so far. */
struct yanchor {
    char *name;
    struct js_ynode *node;
};

/** @brief State of one parse. */
struct yparse {
    struct js_ydoc *doc;
    const char *file;
    struct js_diag *d;
    struct yframe *stack;
    size_t depth, cap;
    struct yanchor *anchors;
    size_t nanchors, capanchors;
    struct js_ynode *root;
    int documents;
    bool from_file;   /* a file (else a string: a --set value, a test fixture) */
    const char *text; /* the input (to locate tabs) */
    size_t len;       /* its length */
};

/**
 * @brief Text of a token copied into the arena ("" for none).
 * @param p the parse
 * @param t the token
 */
static char *yparse_token_text(struct yparse *p, struct fy_token *t)
{
    if (!t)
        return NULL;
    size_t len = 0;
    const char *s = fy_token_get_text(t, &len);
    return ydoc_strndup(p->doc, s ? s : "", s ? len : 0);
}

/**
 * @brief True if a scalar carries the tag !!str (a string, never a number).
 * @param tag the tag token (may be NULL)
 */
static bool yparse_tagged_str(struct fy_token *tag)
{
    if (!tag)
        return false;
    size_t len = 0;
    const char *t = fy_token_get_text(tag, &len);
    static const char str_tag[] = "tag:yaml.org,2002:str";
    return t && len == sizeof(str_tag) - 1 && memcmp(t, str_tag, len) == 0;
}

/**
 * @brief Records an anchor for later aliases.
 * @param p the parse
 * @param anchor anchor token (may be NULL)
 * @param n the anchored node
 */
static void yparse_anchor(struct yparse *p, struct fy_token *anchor, struct js_ynode *n)
{
    if (!anchor)
        return;
    js_grow((void **)&p->anchors, &p->capanchors, p->nanchors + 1, sizeof(*p->anchors));
    p->anchors[p->nanchors].name = yparse_token_text(p, anchor);
    p->anchors[p->nanchors].node = n;
    p->nanchors++;
}

/**
 * @brief Places a finished (or opened) node in its container.
 * @param p the parse
 * @param n the node
 * @param line line of the event
 * @param col column of the event
 * @return 0, or -1 on an unsupported construct
 */
static int yparse_place(struct yparse *p, struct js_ynode *n, int line, int col)
{
    if (p->depth == 0) {
        if (p->root) {
            js_diag_add(p->d, p->file, line, col, NULL, "keep one document per scenario file",
                        "more than one YAML document in the file");
            return -1;
        }
        p->root = n;
        return 0;
    }
    struct yframe *f = &p->stack[p->depth - 1];
    if (f->node->type == JS_YSEQ) {
        ynode_append(f->node, n);
        return 0;
    }
    if (!f->pending_key) {
        if (n->type != JS_YSCALAR) {
            js_diag_add(p->d, p->file, line, col, NULL, "use a plain word as the key",
                        "a map or list used as a key is not supported");
            return -1;
        }
        f->pending_key = n->value;
        f->key_line = n->line;
        f->key_col = n->col;
        return 1; /* consumed as a key */
    }
    n->key = f->pending_key;
    n->key_line = f->key_line;
    n->key_col = f->key_col;
    if (n->line == 0) { /* an empty value has no mark: point at the key */
        n->line = f->key_line;
        n->col = f->key_col;
    }
    f->pending_key = NULL;
    ynode_append(f->node, n);
    return 0;
}

/**
 * @brief Handles one parser event.
 * @param p the parse
 * @param e the event
 * @return 0 to go on, -1 on error
 */
static int yparse_event(struct yparse *p, struct fy_event *e)
{
    const struct fy_mark *m = fy_event_start_mark(e);
    int line = m ? m->line + 1 : 0, col = m ? m->column + 1 : 0;
    switch (e->type) {
    case FYET_DOCUMENT_START:
        p->documents++;
        if (p->documents > 1) {
            js_diag_add(p->d, p->file, line, col, NULL, "keep one document per scenario file",
                        "more than one YAML document in the file");
            return -1;
        }
        return 0;
    case FYET_SCALAR: {
        struct js_ynode *n = ynode_new(p->doc, JS_YSCALAR, p->file, line, col);
        n->value = yparse_token_text(p, e->scalar.value);
        if (!n->value)
            n->value = ydoc_strndup(p->doc, "", 0);
        n->quoted = fy_token_scalar_style(e->scalar.value) != FYSS_PLAIN ||
                    yparse_tagged_str(e->scalar.tag);
        int rc = yparse_place(p, n, line, col);
        if (rc < 0)
            return -1;
        if (rc == 0)
            yparse_anchor(p, e->scalar.anchor, n);
        return 0;
    }
    case FYET_ALIAS: {
        if (col > 1)
            col--; /* libfyaml marks the name; the alias starts at its '*' */
        char *name = yparse_token_text(p, e->alias.anchor);
        struct js_ynode *target = NULL;
        for (size_t i = p->nanchors; i-- > 0;)
            if (strcmp(p->anchors[i].name, name) == 0) {
                target = p->anchors[i].node;
                break;
            }
        if (!target) {
            js_diag_add(p->d, p->file, line, col, NULL, "define the anchor (&name) before using it",
                        "unknown alias *%s", name);
            return -1;
        }
        struct js_ynode *n = ynode_copy(p->doc, target);
        return yparse_place(p, n, line, col) < 0 ? -1 : 0;
    }
    case FYET_MAPPING_START:
    case FYET_SEQUENCE_START: {
        bool map = e->type == FYET_MAPPING_START;
        struct js_ynode *n = ynode_new(p->doc, map ? JS_YMAP : JS_YSEQ, p->file, line, col);
        if (yparse_place(p, n, line, col) != 0)
            return -1;
        yparse_anchor(p, map ? e->mapping_start.anchor : e->sequence_start.anchor, n);
        struct fy_token *start =
            map ? e->mapping_start.mapping_start : e->sequence_start.sequence_start;
        /* flow only if written with a bracket (an implicit one-pair map inside a flow list
         * has a flow-mapping token too, on its ':') */
        size_t tlen = 0;
        const char *ttext = start ? fy_token_get_text(start, &tlen) : NULL;
        bool flow = ttext && tlen > 0 && ttext[0] == (map ? '{' : '[');
        js_grow((void **)&p->stack, &p->cap, p->depth + 1, sizeof(*p->stack));
        p->stack[p->depth++] = (struct yframe){n, NULL, 0, 0, flow};
        return 0;
    }
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
        JS_ASSERT(p->depth > 0);
        p->depth--;
        return 0;
    default:
        return 0;
    }
}

/** @brief qsort comparator for duplicate detection: by key, then line. */
static int ydup_cmp(const void *pa, const void *pb)
{
    const struct js_ynode *a = *(const struct js_ynode *const *)pa;
    const struct js_ynode *b = *(const struct js_ynode *const *)pb;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    if (a->key_line != b->key_line)
        return a->key_line < b->key_line ? -1 : 1;
    return a->key_col < b->key_col ? -1 : (a->key_col > b->key_col);
}

/**
 * @brief Reports a duplicate key.
 * @param d errors
 * @param first the first occurrence
 * @param again the later one
 */
static void ydup_report(struct js_diag *d, const struct js_ynode *first,
                        const struct js_ynode *again)
{
    char path[512];
    js_ytree_path(again, path, sizeof(path));
    js_diag_add(d, again->file, again->key_line, again->key_col, path,
                "keep one of the two entries (merge their contents if both are needed)",
                "duplicate key '%s': first at line %d, again at line %d", again->key,
                first->key_line, again->key_line);
}

/**
 * @brief Finds duplicate keys in every map of a tree.
 * @param n the root
 * @param d errors
 * @return number of duplicates found
 */
static int ytree_check_duplicates(const struct js_ynode *n, struct js_diag *d)
{
    int found = 0;
    if (n->type == JS_YMAP && n->nchildren > 1) {
        if (n->nchildren <= 16) {
            for (const struct js_ynode *a = n->first; a; a = a->next)
                for (const struct js_ynode *b = a->next; b; b = b->next)
                    if (strcmp(a->key, b->key) == 0) {
                        ydup_report(d, a, b);
                        found++;
                        break;
                    }
        } else {
            const struct js_ynode **v = js_xmalloc((size_t)n->nchildren * sizeof(*v));
            size_t k = 0;
            for (const struct js_ynode *a = n->first; a; a = a->next)
                v[k++] = a;
            qsort(v, k, sizeof(*v), ydup_cmp);
            for (size_t i = 1; i < k; i++) {
                if (strcmp(v[i]->key, v[i - 1]->key) != 0)
                    continue;
                size_t j = i - 1;
                while (j > 0 && strcmp(v[j - 1]->key, v[i]->key) == 0)
                    j--;
                ydup_report(d, v[j], v[i]);
                found++;
            }
            free(v);
        }
    }
    for (const struct js_ynode *c = n->first; c; c = c->next)
        found += ytree_check_duplicates(c, d);
    return found;
}

/**
 * @brief The innermost flow collection ([...] or {...}) still open, or NULL.
 * @param p the parse state
 */
static const struct js_ynode *yparse_open_flow(const struct yparse *p)
{
    for (size_t i = p->depth; i-- > 0;)
        if (p->stack[i].flow)
            return p->stack[i].node;
    return NULL;
}

/**
 * @brief The column of the first tab in the indentation of a line (libfyaml points past it).
 * @param p the parse state
 * @param line 1-based line
 * @return the 1-based column, or 0 if the line has no tab in its indentation
 */
static int yparse_tab_column(const struct yparse *p, int line)
{
    const char *s = p->text, *end = p->text + p->len;
    for (int l = 1; l < line && s < end; s++)
        if (*s == '\n')
            l++;
    for (int col = 1; s < end && (*s == ' ' || *s == '\t'); s++, col++)
        if (*s == '\t')
            return col;
    return 0;
}

/**
 * @brief True if a position is the end of the input (where an unclosed bracket is noticed).
 * @param p the parse state
 * @param line 1-based line
 * @param col 1-based column
 */
static bool yparse_at_end(const struct yparse *p, int line, int col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < p->len; i++) {
        if (p->text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    return line == l && col == c;
}

/**
 * @brief How to fix a syntax error, from libfyaml's message.
 * @param msg the message
 */
static const char *yparse_syntax_hint(const char *msg)
{
    if (strstr(msg, "tab"))
        return "indent with spaces, not tabs";
    if (strstr(msg, "quoted scalar"))
        return "close the quote on the same line (a quoted text ends with the quote mark it "
               "starts with)";
    if (strstr(msg, "flow"))
        return "check the brackets: every '[' needs a ']' and every '{' a '}', with commas "
               "between the entries";
    return "correct the YAML syntax at this position (indentation uses spaces, quotes and "
           "brackets must be closed)";
}

/**
 * @brief Reports libfyaml's syntax error, at the place that needs fixing: an unclosed
 * bracket where it opens (libfyaml notices it only at the end of the input, a line that may
 * not even exist), a tab at its own column; and names a flow collection still open.
 * @param p the parse state
 * @param de the syntax error
 */
static void yparse_syntax_error(struct yparse *p, const struct fy_diag_error *de)
{
    const struct js_ynode *open = yparse_open_flow(p);
    char bracket = open ? (open->type == JS_YSEQ ? '[' : '{') : 0;
    if (open &&
        (strstr(de->msg, "without a closing bracket") ||
         strstr(de->msg, "without a closing brace") || yparse_at_end(p, de->line, de->column))) {
        js_diag_add(p->d, p->file, open->line, open->col, NULL,
                    bracket == '[' ? "close the list with ']' (or write it as an indented "
                                     "'- item' list)"
                                   : "close the map with '}' (or write it as indented "
                                     "'key: value' lines)",
                    "YAML syntax error: this '%c' is never closed (the %s ends first)", bracket,
                    p->from_file ? "file" : "value");
        return;
    }
    int col = de->column;
    if (strstr(de->msg, "tab")) {
        int tab = yparse_tab_column(p, de->line);
        col = tab ? tab : col;
    }
    char inside[96] = "";
    if (open)
        snprintf(inside, sizeof(inside), " (inside the '%c' opened at line %d, column %d)", bracket,
                 open->line, open->col);
    js_diag_add(p->d, p->file, de->line, col, NULL, yparse_syntax_hint(de->msg),
                "YAML syntax error: %s%s", de->msg, inside);
}

/**
 * @brief Runs the libfyaml parser over a prepared input.
 * @param p the parse state
 * @param fyp the parser
 * @param dg the diagnostic collector
 * @return 0 or -1
 */
static int yparse_run(struct yparse *p, struct fy_parser *fyp, struct fy_diag *dg)
{
    struct fy_event *e;
    int rc = 0;
    while ((e = fy_parser_parse(fyp))) {
        if (rc == 0 && yparse_event(p, e) < 0)
            rc = -1;
        fy_parser_event_free(fyp, e);
        if (rc)
            break;
    }
    if (rc == 0 && fy_parser_get_stream_error(fyp)) {
        void *it = NULL;
        /* libfyaml stops at the first syntax error; later ones are noise */
        struct fy_diag_error *de = fy_diag_errors_iterate(dg, &it);
        if (de)
            yparse_syntax_error(p, de);
        else
            js_diag_add(p->d, p->file, 0, 0, NULL, NULL, "YAML syntax error");
        rc = -1;
    }
    return rc;
}

/**
 * @brief Shared driver for files and strings.
 * @param doc arena
 * @param label file label
 * @param text the text
 * @param len its length
 * @param from_file the text is a file's (else a --set value or a fixture)
 * @param want_map require a map at the top
 * @param root out
 * @param d errors
 */
static int yparse_input(struct js_ydoc *doc, const char *label, const char *text, size_t len,
                        bool from_file, bool want_map, struct js_ynode **root, struct js_diag *d)
{
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    struct fy_diag *dg = fy_diag_create(&dcfg);
    JS_ASSERT(dg);
    fy_diag_set_collect_errors(dg, true);
    struct fy_parse_cfg cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.flags =
        FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_ALLOW_DUPLICATE_KEYS | FYPCF_DEFAULT_VERSION_1_2;
    cfg.diag = dg;
    struct fy_parser *fyp = fy_parser_create(&cfg);
    JS_ASSERT(fyp);
    struct yparse p;
    memset(&p, 0, sizeof(p));
    p.doc = doc;
    p.file = js_ydoc_strdup(doc, label);
    p.d = d;
    p.text = text;
    p.len = len;
    p.from_file = from_file;
    int rc = fy_parser_set_string(fyp, text, len);
    if (rc == 0)
        rc = yparse_run(&p, fyp, dg);
    else
        js_diag_add(d, p.file, 0, 0, NULL, NULL, "cannot read the input");
    fy_parser_destroy(fyp);
    fy_diag_destroy(dg);
    free(p.stack);
    free(p.anchors);
    if (rc == 0 && p.root && p.root->type == JS_YSCALAR && p.root->line == 0 &&
        js_ytree_is_null(p.root))
        p.root = NULL; /* a document marker and nothing else */
    if (rc == 0 && !p.root) {
        js_diag_add(d, p.file, from_file ? 1 : 0, from_file ? 1 : 0, NULL,
                    from_file ? "write the scenario as a YAML mapping (see configs/test/smoke.yaml)"
                              : "give a value after '='",
                    from_file ? "the file is empty (nothing but comments or blank lines)"
                              : "the value is empty");
        rc = -1;
    }
    if (rc == 0 && want_map && p.root->type != JS_YMAP) {
        js_diag_add(
            d, p.file, p.root->line, p.root->col, NULL,
            "the top level of a scenario is a mapping of sections (scenario:, places:, ...)",
            "expected a mapping at the top level, got %s",
            p.root->type == JS_YSEQ ? "a list" : "a single value");
        rc = -1;
    }
    if (rc == 0 && ytree_check_duplicates(p.root, d) > 0)
        rc = -1;
    *root = rc == 0 ? p.root : NULL;
    return rc;
}

int js_ytree_parse_file(struct js_ydoc *doc, const char *path, struct js_ynode **root,
                        struct js_diag *d)
{
    *root = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        js_diag_add(d, path, 0, 0, NULL, "check the path and the file's permissions",
                    "cannot read the file: %s", strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        js_diag_add(d, path, 0, 0, NULL, "name a scenario file (.yaml)", "cannot read the file: %s",
                    S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        js_diag_add(d, path, 0, 0, NULL, "check the path and the file's permissions",
                    "cannot read the file: %s", strerror(errno));
        return -1;
    }
    if (st.st_size == 0) {
        fclose(f);
        js_diag_add(d, path, 0, 0, NULL,
                    "write the scenario as a YAML mapping (see configs/test/smoke.yaml)",
                    "the file is empty");
        return -1;
    }
    size_t len = (size_t)st.st_size;
    char *text = js_xmalloc(len + 1);
    size_t got = fread(text, 1, len, f);
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (read_error || got != len) {
        free(text);
        js_diag_add(d, path, 0, 0, NULL, "check the file's permissions", "cannot read the file: %s",
                    read_error ? strerror(errno) : "it changed size");
        return -1;
    }
    text[len] = '\0';
    int rc = yparse_input(doc, path, text, len, true, true, root, d);
    free(text);
    return rc;
}

int js_ytree_parse_string(struct js_ydoc *doc, const char *text, size_t len, const char *label,
                          struct js_ynode **root, struct js_diag *d)
{
    return yparse_input(doc, label, text, len, false, false, root, d);
}

/* ---------------------------------------------------------------- --set */

/**
 * @brief Marks a subtree as coming from a --set argument.
 * @param n the node
 * @param label the argument text
 */
static void ytree_relabel(struct js_ynode *n, const char *label)
{
    n->file = label;
    n->line = n->col = n->key_line = n->key_col = 0;
    for (struct js_ynode *c = n->first; c; c = c->next)
        ytree_relabel(c, label);
}

int js_ytree_set(struct js_ydoc *doc, struct js_ynode *root, const char *path,
                 struct js_ynode *value, const char **old)
{
    *old = NULL;
    struct js_ynode *cur = root;
    const char *s = path;
    const char *label = value->file;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        if (len == 0) {
            *old = "an empty key (two dots in a row, or a dot at an end)";
            return -1;
        }
        char *key = ydoc_strndup(doc, s, len);
        if (cur->type == JS_YSCALAR && js_ytree_is_null(cur) && cur != root) {
            cur->type = JS_YMAP; /* `key:` with nothing after it stands for an empty map */
            cur->value = NULL;
        }
        if (cur->type != JS_YMAP) {
            *old = cur->type == JS_YSEQ ? "a list (lists are replaced whole: set the list itself)"
                                        : "a single value";
            return -1;
        }
        struct js_ynode *child = js_ytree_get(cur, key);
        if (!dot) {
            ytree_relabel(value, label);
            if (child) {
                *old = child->type == JS_YSCALAR ? child->value
                       : child->type == JS_YMAP  ? "<map>"
                                                 : "<list>";
                ynode_replace(child, value);
            } else {
                value->key = key;
                ynode_append(cur, value);
            }
            return 0;
        }
        if (!child) {
            child = ynode_new(doc, JS_YMAP, label, 0, 0);
            child->key = key;
            child->set_created = true;
            ynode_append(cur, child);
        }
        cur = child;
        s = dot + 1;
    }
}

/* ---------------------------------------------------------------- emit */

/** @brief A growing text buffer. */
struct ybuf {
    char *s;
    size_t n, cap;
};

/**
 * @brief Appends a string.
 * @param b buffer
 * @param str text
 * @param n its length
 */
static void ybuf_put(struct ybuf *b, const char *str, size_t n)
{
    js_grow((void **)&b->s, &b->cap, b->n + n + 1, 1);
    memcpy(b->s + b->n, str, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/**
 * @brief Appends formatted text.
 * @param b buffer
 * @param fmt printf format
 */
static void ybuf_printf(struct ybuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ybuf_printf(struct ybuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    js_grow((void **)&b->s, &b->cap, b->n + (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

/**
 * @brief True if a plain text would read back as the same plain scalar.
 * @param v the text
 */
static bool yemit_plain_ok(const char *v)
{
    size_t len = strlen(v);
    if (len == 0 || v[0] == ' ' || v[len - 1] == ' ')
        return false;
    if (strpbrk(v, ":#{}[],&*!|>'\"%@`\\"))
        return false;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    if (v[0] == '?' || strncmp(v, "...", 3) == 0)
        return false;
    /* a leading '-' stays plain only in negative numbers ("-3", "-.5") */
    return v[0] != '-' || v[1] == '.' || (v[1] >= '0' && v[1] <= '9');
}

/**
 * @brief Writes a text double-quoted, with escapes.
 * @param b buffer
 * @param v the text
 */
static void yemit_quoted(struct ybuf *b, const char *v)
{
    ybuf_printf(b, "\"");
    for (const char *p = v; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"')
            ybuf_printf(b, "\\\"");
        else if (ch == '\\')
            ybuf_printf(b, "\\\\");
        else if (ch == '\n')
            ybuf_printf(b, "\\n");
        else if (ch == '\t')
            ybuf_printf(b, "\\t");
        else if (ch < 0x20 || ch == 0x7f)
            ybuf_printf(b, "\\x%02X", ch);
        else
            ybuf_printf(b, "%c", ch);
    }
    ybuf_printf(b, "\"");
}

/**
 * @brief Writes a scalar, double-quoted when it was quoted or could be misread.
 * @param b buffer
 * @param n the scalar
 */
static void yemit_scalar(struct ybuf *b, const struct js_ynode *n)
{
    if (!n->quoted && yemit_plain_ok(n->value))
        ybuf_put(b, n->value, strlen(n->value));
    else
        yemit_quoted(b, n->value);
}

/**
 * @brief Writes a map key, quoted when it could be misread.
 * @param b buffer
 * @param key the key
 */
static void yemit_key(struct ybuf *b, const char *key)
{
    bool special = strcmp(key, "~") == 0 || strcmp(key, "null") == 0 || strcmp(key, "Null") == 0 ||
                   strcmp(key, "NULL") == 0;
    if (yemit_plain_ok(key) && !special)
        ybuf_printf(b, "%s", key);
    else
        yemit_quoted(b, key);
}

/**
 * @brief Writes a node at an indentation.
 * @param b buffer
 * @param n node
 * @param indent spaces
 */
static void yemit_node(struct ybuf *b, const struct js_ynode *n, int indent)
{
    for (const struct js_ynode *c = n->first; c; c = c->next) {
        if (c->implicit)
            continue;
        static const char spaces[] = "                                                  ";
        ybuf_put(b, spaces, (size_t)(indent < 50 ? indent : 50));
        if (n->type == JS_YMAP) {
            yemit_key(b, c->key);
            ybuf_put(b, ":", 1);
        } else {
            ybuf_put(b, "-", 1);
        }
        if (c->type == JS_YSCALAR && !c->quoted && c->value[0] == '\0') {
            ybuf_put(b, "\n", 1); /* an empty plain value (a null) stays empty */
        } else if (c->type == JS_YSCALAR) {
            ybuf_put(b, " ", 1);
            yemit_scalar(b, c);
            ybuf_put(b, "\n", 1);
        } else if (c->nchildren == 0) {
            ybuf_printf(b, c->type == JS_YMAP ? " {}\n" : " []\n");
        } else {
            ybuf_printf(b, "\n");
            yemit_node(b, c, indent + 2);
        }
    }
}

char *js_ytree_emit(const struct js_ynode *n)
{
    struct ybuf b = {NULL, 0, 0};
    ybuf_printf(&b, "%s", "");
    if (n->type == JS_YSCALAR) {
        yemit_scalar(&b, n);
        ybuf_printf(&b, "\n");
    } else if (n->nchildren == 0) {
        ybuf_printf(&b, n->type == JS_YMAP ? "{}\n" : "[]\n");
    } else {
        yemit_node(&b, n, 0);
    }
    return b.s;
}

/* protokol._fastyaml: the strict reader's fast path, in C.

   yamlio.parse() turns libyaml's event stream into positioned nodes (yamlio.Scalar, Mapping, Sequence). Done in
   Python through PyYAML's event objects, that costs about a millisecond per protocol file, most of a cold
   `protokol due`. This module does the same walk over the same library (libyaml) without making event objects.

   It handles only files that are entirely well-formed for protokol: one document, no anchors, aliases or tags,
   plain-text keys, no duplicate key, nesting within MAX_DEPTH. On anything else, a YAML syntax error included, it
   returns None and yamlio reads the file again with the Python builder, which names the problem with its position.
   So this code never reports problems, and the Python builder stays the reference: tests/test_fastyaml.py checks
   that both give equal trees.

   read(text: str or UTF-8 bytes) -> node or None; setup(Scalar, Mapping, Sequence, Pos, nulls, max_depth[, left_empty]) must be
   called first.
   Nodes are written straight into the classes' slots, so setup() first checks the classes' whole layout (every slot
   the instances have, Pos's fields and their order) and refuses, with TypeError, classes that differ from what this
   file writes: yamlio then reads with the Python builder instead of writing into a layout this code does not know. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <yaml.h>

/* The attributes of the node classes, all __slots__. A node's fields are stored straight into the instance at the
   offsets their member descriptors give, as the descriptors themselves would store them: PyObject_SetAttr took a
   fifth of the reading time. */
enum { LINE, COL, POS, VALUE, QUOTED, STYLE, ITEMS, N_ATTRS };
static const char *attr_names[N_ATTRS] = {"line", "col", "pos", "value", "quoted", "style", "items"};

typedef struct {
    PyTypeObject *type;
    Py_ssize_t offset[N_ATTRS];   /* -1 for an attribute the class does not have */
} node_class;

static node_class scalar_class, mapping_class, sequence_class;
static PyTypeObject *pos_type;        /* a tuple subclass (a NamedTuple) */
static PyObject *nulls;               /* frozenset of plain scalars that mean "no value" */
static size_t null_max;               /* the length in UTF-8 of the longest of them: a longer scalar is none */
static long max_depth;
static PyObject *style_names[6];      /* '' ' " | > by yaml_scalar_style_t, as PyYAML reports them */

typedef struct {
    yaml_parser_t parser;
    int fallback;                     /* set when the file needs the Python builder */
} reader;

/* Where attribute `name` of `type`'s instances lives: the offset of its slot, or -1 with TypeError set when it is not
   a plain object slot of `type` or of one of its bases, writable and inside the instance. */
static Py_ssize_t slot_offset(PyTypeObject *type, const char *name)
{
    PyObject *descr = PyObject_GetAttrString((PyObject *)type, name);
    if (descr == NULL) {
        PyErr_Format(PyExc_TypeError, "%s has no attribute '%s'", type->tp_name, name);
        return -1;
    }
    Py_ssize_t offset = -1;
    if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyMemberDescrObject *member = (PyMemberDescrObject *)descr;
        Py_ssize_t at = member->d_member->offset;
        if (member->d_member->type == T_OBJECT_EX && !(member->d_member->flags & READONLY)
            && PyType_IsSubtype(type, PyDescr_TYPE(member)) && at >= (Py_ssize_t)sizeof(PyObject)
            && at % (Py_ssize_t)sizeof(PyObject *) == 0 && at + (Py_ssize_t)sizeof(PyObject *) <= type->tp_basicsize)
            offset = at;
    }
    Py_DECREF(descr);
    if (offset < 0)
        PyErr_Format(PyExc_TypeError, "%s.%s is not a __slots__ attribute", type->tp_name, name);
    return offset;
}

/* Check that instances of `type` consist of exactly the slots named in `wanted`, and of those named in `left_empty`
   (slots the Python classes declare for what only the Python builder records, and read as "not recorded" when empty;
   any other slot would stay empty where Python code expects a value), with no __dict__ or variable part. Note where
   each wanted slot lives in `cls`, which is left untouched when the check fails (TypeError set, -1). */
static int check_class(node_class *cls, PyTypeObject *type, const int *wanted, int n_wanted, PyObject *left_empty)
{
    node_class found = {.type = type};
    for (int i = 0; i < N_ATTRS; i++)
        found.offset[i] = -1;
    if (type->tp_itemsize != 0 || type->tp_dictoffset != 0 || type->tp_alloc != PyType_GenericAlloc) {
        PyErr_Format(PyExc_TypeError, "%s must keep all its fields in __slots__", type->tp_name);
        return -1;
    }
    for (int w = 0; w < n_wanted; w++) {
        int i = wanted[w];
        if ((found.offset[i] = slot_offset(type, attr_names[i])) < 0)
            return -1;
        for (int v = 0; v < w; v++)
            if (found.offset[wanted[v]] == found.offset[i]) {
                PyErr_Format(PyExc_TypeError, "%s.%s shares a slot", type->tp_name, attr_names[i]);
                return -1;
            }
    }
    /* Every object slot of the instance, from the class and its bases, must be one of those. */
    PyObject *mro = type->tp_mro;
    for (Py_ssize_t k = 0; mro != NULL && k < PyTuple_GET_SIZE(mro); k++) {
        PyMemberDef *member = ((PyTypeObject *)PyTuple_GET_ITEM(mro, k))->tp_members;
        for (; member != NULL && member->name != NULL; member++) {
            if (member->type != T_OBJECT_EX && member->type != T_OBJECT)
                continue;
            int known = 0;
            for (int w = 0; w < n_wanted; w++)
                known |= found.offset[wanted[w]] == member->offset;
            if (!known) {
                PyObject *name = PyUnicode_FromString(member->name);
                known = name != NULL ? PySet_Contains(left_empty, name) : -1;
                Py_XDECREF(name);
                if (known < 0)
                    return -1;
            }
            if (!known) {
                PyErr_Format(PyExc_TypeError, "%s has a slot '%s' that protokol._fastyaml does not fill", type->tp_name,
                             member->name);
                return -1;
            }
        }
    }
    *cls = found;
    return 0;
}

/* Pos must be a NamedTuple of exactly (line, col), in that order, with nothing beside the tuple's items. */
static int check_pos(PyTypeObject *type)
{
    if (!PyType_IsSubtype(type, &PyTuple_Type) || type->tp_basicsize != PyTuple_Type.tp_basicsize
        || type->tp_dictoffset != 0) {
        PyErr_Format(PyExc_TypeError, "%s must be a NamedTuple (a tuple subclass without other fields)", type->tp_name);
        return -1;
    }
    PyObject *fields = PyObject_GetAttrString((PyObject *)type, "_fields");
    PyObject *expected = Py_BuildValue("(ss)", "line", "col");
    int same = fields != NULL && expected != NULL ? PyObject_RichCompareBool(fields, expected, Py_EQ) : -1;
    Py_XDECREF(fields);
    Py_XDECREF(expected);
    if (same == 1)
        return 0;
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "%s._fields must be ('line', 'col')", type->tp_name);
    return -1;
}

/* Store `value` (taking a new reference) in the empty slot `attr` of a freshly allocated node. */
static inline void put(const node_class *cls, PyObject *node, int attr, PyObject *value)
{
    Py_INCREF(value);
    *(PyObject **)((char *)node + cls->offset[attr]) = value;
}

/* The next event, or 0 (fallback set) when the parser fails. */
static int next_event(reader *r, yaml_event_t *event)
{
    if (!yaml_parser_parse(&r->parser, event)) {
        r->fallback = 1;
        return 0;
    }
    return 1;
}

/* An instance of a node class with `line`, `col` and `pos` set, without running its Python __init__. */
static PyObject *new_node(const node_class *cls, const yaml_mark_t *mark)
{
    PyObject *node = cls->type->tp_alloc(cls->type, 0);
    PyObject *pos = pos_type->tp_alloc(pos_type, 2);   /* Pos(line, col), made as a tuple is */
    PyObject *line = PyLong_FromSize_t(mark->line + 1);
    PyObject *col = PyLong_FromSize_t(mark->column + 1);
    if (node == NULL || pos == NULL || line == NULL || col == NULL) {
        Py_XDECREF(node);
        Py_XDECREF(pos);
        Py_XDECREF(line);
        Py_XDECREF(col);
        return NULL;
    }
    put(cls, node, LINE, line);
    put(cls, node, COL, col);
    PyTuple_SET_ITEM(pos, 0, line);   /* steals the references made above */
    PyTuple_SET_ITEM(pos, 1, col);
    put(cls, node, POS, pos);
    Py_DECREF(pos);
    return node;
}

static PyObject *build(reader *r, yaml_event_t *event, long depth);

/* The text of a key: a file repeats the same few keys (text, deadline, responsible …) hundreds of times, so the
   last ASCII key seen in each of KEY_SLOTS slots is kept and given again, its hash already computed, instead of a
   new string decoded and hashed for every key. */
#define KEY_SLOTS 64
#define KEY_MAX 32
static PyObject *key_texts[KEY_SLOTS];

static PyObject *key_text(const char *value, size_t length)
{
    if (length == 0 || length > KEY_MAX)
        return PyUnicode_DecodeUTF8(value, (Py_ssize_t)length, "strict");
    size_t slot = (length * 31u + (unsigned char)value[0] * 7u + (unsigned char)value[length - 1]) % KEY_SLOTS;
    PyObject *kept = key_texts[slot];
    if (kept != NULL && (size_t)PyUnicode_GET_LENGTH(kept) == length && memcmp(PyUnicode_DATA(kept), value, length) == 0) {
        Py_INCREF(kept);
        return kept;
    }
    PyObject *text = PyUnicode_DecodeUTF8(value, (Py_ssize_t)length, "strict");
    if (text != NULL && PyUnicode_IS_COMPACT_ASCII(text)) {   /* one byte a character: what memcmp above compares */
        Py_INCREF(text);
        Py_XSETREF(key_texts[slot], text);
    }
    return text;
}

static PyObject *build_scalar(yaml_event_t *event, int is_key)
{
    const char *value = (const char *)event->data.scalar.value;
    size_t length = event->data.scalar.length;
    PyObject *text = is_key ? key_text(value, length) : PyUnicode_DecodeUTF8(value, (Py_ssize_t)length, "strict");
    if (text == NULL)
        return NULL;
    int plain = event->data.scalar.plain_implicit && event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    int is_null = 0;
    if (plain && length <= null_max && (is_null = PySet_Contains(nulls, text)) < 0) {
        Py_DECREF(text);
        return NULL;
    }
    PyObject *node = new_node(&scalar_class, &event->start_mark);
    if (node != NULL) {
        int style = event->data.scalar.style;
        put(&scalar_class, node, VALUE, is_null ? Py_None : text);
        put(&scalar_class, node, QUOTED, plain ? Py_False : Py_True);
        put(&scalar_class, node, STYLE, (style >= 1 && style <= 5) ? style_names[style] : Py_None);
    }
    Py_DECREF(text);
    return node;
}

/* The items of a sequence, up to its end event. */
static int fill_sequence(reader *r, PyObject *items, long depth)
{
    yaml_event_t event;
    for (;;) {
        if (!next_event(r, &event))
            return -1;
        if (event.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&event);
            return 0;
        }
        PyObject *item = build(r, &event, depth);
        yaml_event_delete(&event);
        if (item == NULL)
            return -1;
        int failed = PyList_Append(items, item);
        Py_DECREF(item);
        if (failed < 0)
            return -1;
    }
}

/* The pairs of a mapping, up to its end event: items[key text] = (key node, value node). */
static int fill_mapping(reader *r, PyObject *items, long depth)
{
    yaml_event_t event;
    for (;;) {
        if (!next_event(r, &event))
            return -1;
        if (event.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&event);
            return 0;
        }
        if (event.type != YAML_SCALAR_EVENT) {   /* a key that is a list or a mapping: the builder reports it */
            yaml_event_delete(&event);
            r->fallback = 1;
            return -1;
        }
        PyObject *key = NULL;
        if (event.data.scalar.anchor || event.data.scalar.tag)
            r->fallback = 1;
        else
            key = build_scalar(&event, 1);
        yaml_event_delete(&event);
        if (key == NULL)
            return -1;
        PyObject *text = *(PyObject **)((char *)key + scalar_class.offset[VALUE]);   /* borrowed */
        int known = text == Py_None ? 1 : PyDict_Contains(items, text);
        if (known != 0) {   /* a null key or a duplicate key (the builder reports it), or an error */
            if (known > 0)
                r->fallback = 1;
            Py_DECREF(key);
            return -1;
        }
        PyObject *value = NULL;
        if (next_event(r, &event)) {
            value = build(r, &event, depth);
            yaml_event_delete(&event);
        }
        PyObject *pair = value != NULL ? PyTuple_Pack(2, key, value) : NULL;
        int failed = pair == NULL || PyDict_SetItem(items, text, pair) < 0;
        Py_XDECREF(pair);
        Py_XDECREF(value);
        Py_DECREF(key);
        if (failed)
            return -1;
    }
}

/* The node that starts with `event` (owned by the caller), or NULL: with an exception set, or with fallback set. */
static PyObject *build(reader *r, yaml_event_t *event, long depth)
{
    switch (event->type) {
    case YAML_SCALAR_EVENT:
        if (event->data.scalar.anchor || event->data.scalar.tag)
            break;
        return build_scalar(event, 0);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_sequence = event->type == YAML_SEQUENCE_START_EVENT;
        yaml_char_t *anchor = is_sequence ? event->data.sequence_start.anchor : event->data.mapping_start.anchor;
        yaml_char_t *tag = is_sequence ? event->data.sequence_start.tag : event->data.mapping_start.tag;
        if (anchor || tag || depth + 1 > max_depth)
            break;
        const node_class *cls = is_sequence ? &sequence_class : &mapping_class;
        PyObject *node = new_node(cls, &event->start_mark);
        PyObject *items = is_sequence ? PyList_New(0) : PyDict_New();
        if (node != NULL && items != NULL)
            put(cls, node, ITEMS, items);
        int failed = node == NULL || items == NULL
            || (is_sequence ? fill_sequence(r, items, depth + 1) : fill_mapping(r, items, depth + 1)) < 0;
        Py_XDECREF(items);
        if (failed) {
            Py_XDECREF(node);
            return NULL;
        }
        return node;
    }
    default:   /* an alias, or an event that cannot start a node */
        break;
    }
    r->fallback = 1;
    return NULL;
}

/* The root node of a stream that holds exactly one document, or NULL. */
static PyObject *read_stream(reader *r)
{
    yaml_event_t event;
    PyObject *root = NULL;
    if (!next_event(r, &event))
        return NULL;
    int ok = event.type == YAML_STREAM_START_EVENT;
    yaml_event_delete(&event);
    if (!ok || !next_event(r, &event))
        goto fallback;
    ok = event.type == YAML_DOCUMENT_START_EVENT;
    yaml_event_delete(&event);
    if (!ok || !next_event(r, &event))
        goto fallback;
    root = build(r, &event, 0);
    yaml_event_delete(&event);
    if (root == NULL)
        return NULL;
    if (!next_event(r, &event))
        goto fallback;
    ok = event.type == YAML_DOCUMENT_END_EVENT;
    yaml_event_delete(&event);
    if (!ok || !next_event(r, &event))
        goto fallback;
    ok = event.type == YAML_STREAM_END_EVENT;   /* else a second document */
    yaml_event_delete(&event);
    if (ok)
        return root;
fallback:
    r->fallback = 1;
    Py_XDECREF(root);
    return NULL;
}

static PyObject *fastyaml_read(PyObject *module, PyObject *arg)
{
    if (scalar_class.type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "protokol._fastyaml.setup() was not called");
        return NULL;
    }
    Py_ssize_t size;
    const char *data;
    if (PyBytes_Check(arg)) {   /* UTF-8 as read from the file: libyaml checks it as it reads */
        data = PyBytes_AS_STRING(arg);
        size = PyBytes_GET_SIZE(arg);
    } else if ((data = PyUnicode_AsUTF8AndSize(arg, &size)) == NULL)
        return NULL;
    reader r = {.fallback = 0};
    if (!yaml_parser_initialize(&r.parser))
        return PyErr_NoMemory();
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)data, (size_t)size);
    yaml_parser_set_encoding(&r.parser, YAML_UTF8_ENCODING);
    PyObject *root = read_stream(&r);
    yaml_parser_delete(&r.parser);
    if (root == NULL && r.fallback && !PyErr_Occurred())
        Py_RETURN_NONE;
    return root;
}

/* Everything is checked before anything is kept: a refused call leaves the module as it was. */
static PyObject *fastyaml_setup(PyObject *module, PyObject *args)
{
    PyTypeObject *scalar, *mapping, *sequence, *pos;
    PyObject *null_set, *left_empty = NULL;
    long depth;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!l|O!", &PyType_Type, &scalar, &PyType_Type, &mapping, &PyType_Type,
                          &sequence, &PyType_Type, &pos, &PyFrozenSet_Type, &null_set, &depth, &PyFrozenSet_Type,
                          &left_empty))
        return NULL;
    PyObject *none_left_empty = left_empty == NULL ? PyFrozenSet_New(NULL) : NULL;
    if (left_empty == NULL && (left_empty = none_left_empty) == NULL)
        return NULL;
    static const int scalar_attrs[] = {LINE, COL, POS, VALUE, QUOTED, STYLE};
    static const int collection_attrs[] = {LINE, COL, POS, ITEMS};
    node_class checked[3];
    int refused = check_class(&checked[0], scalar, scalar_attrs, 6, left_empty) < 0
        || check_class(&checked[1], mapping, collection_attrs, 4, left_empty) < 0
        || check_class(&checked[2], sequence, collection_attrs, 4, left_empty) < 0 || check_pos(pos) < 0;
    Py_XDECREF(none_left_empty);
    if (refused)
        return NULL;
    if (depth < 1) {
        PyErr_SetString(PyExc_ValueError, "max_depth must be at least 1");
        return NULL;
    }
    size_t longest = 0;   /* of the nulls, in UTF-8 */
    PyObject *each = PyObject_GetIter(null_set), *one;
    if (each == NULL)
        return NULL;
    while ((one = PyIter_Next(each)) != NULL) {
        Py_ssize_t size = 0;
        int text = PyUnicode_Check(one) && PyUnicode_AsUTF8AndSize(one, &size) != NULL;
        Py_DECREF(one);
        if (!text) {
            Py_DECREF(each);
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError, "nulls must hold strings only");
            return NULL;
        }
        if ((size_t)size > longest)
            longest = (size_t)size;
    }
    Py_DECREF(each);
    if (PyErr_Occurred())
        return NULL;
    node_class *kept[3] = {&scalar_class, &mapping_class, &sequence_class};
    for (int i = 0; i < 3; i++) {
        PyTypeObject *old = kept[i]->type;
        Py_INCREF(checked[i].type);
        *kept[i] = checked[i];
        Py_XDECREF(old);
    }
    Py_INCREF(pos);
    Py_XSETREF(pos_type, pos);
    Py_INCREF(null_set);
    Py_XSETREF(nulls, null_set);
    null_max = longest;
    max_depth = depth;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"read", fastyaml_read, METH_O,
     "read(text) -> root node, or None when the Python builder must read the text; text is a str or UTF-8 bytes"},
    {"setup", fastyaml_setup, METH_VARARGS,
     "setup(Scalar, Mapping, Sequence, Pos, nulls, max_depth, left_empty=frozenset()): check the classes' layout\n"
     "(TypeError when it is not the one this module writes into, and nothing changes) and read into them from now on;\n"
     "left_empty names slots the classes may have that this module leaves empty"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "protokol._fastyaml", "The strict YAML reader's fast path (see yamlio.py).", -1, methods,
};

PyMODINIT_FUNC PyInit__fastyaml(void)
{
    const char *styles[] = {"", "", "'", "\"", "|", ">"};   /* index 0 (any style) is never reported */
    for (int i = 0; i < 6; i++)
        if ((style_names[i] = PyUnicode_InternFromString(styles[i])) == NULL)
            return NULL;
    return PyModule_Create(&module_def);
}

/* protokol._fastyaml: the strict reader's fast path, in C.

   yamlio.parse() turns libyaml's event stream into positioned nodes (yamlio.Scalar, Mapping, Sequence). Done in
   Python through PyYAML's event objects, that costs about a millisecond per protocol file, most of a cold
   `protokol due`. This module does the same walk over the same library (libyaml) without making event objects.

   It handles only files that are entirely well-formed for protokol: one document, no anchors, aliases or tags,
   plain-text keys, no duplicate key, nesting within MAX_DEPTH. On anything else, a YAML syntax error included, it
   returns None and yamlio reads the file again with the Python builder, which names the problem with its position.
   So this code never reports problems, and the Python builder stays the reference: tests/test_fastyaml.py checks
   that both give equal trees.

   read(text: str) -> node or None; setup(Scalar, Mapping, Sequence, Pos, nulls, max_depth) must be called first. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <yaml.h>

static PyTypeObject *scalar_type, *mapping_type, *sequence_type, *pos_type;   /* pos_type: a tuple subclass */
static PyObject *nulls;               /* frozenset of plain scalars that mean "no value" */
static long max_depth;
static PyObject *s_line, *s_col, *s_pos, *s_value, *s_quoted, *s_style, *s_items;   /* attribute names */
static PyObject *style_names[6];      /* '' ' " | > by yaml_scalar_style_t, as PyYAML reports them */

typedef struct {
    yaml_parser_t parser;
    int fallback;                     /* set when the file needs the Python builder */
} reader;

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
static PyObject *new_node(PyTypeObject *type, const yaml_mark_t *mark)
{
    PyObject *node = type->tp_alloc(type, 0);
    PyObject *pos = pos_type->tp_alloc(pos_type, 2);   /* Pos(line, col), made as a tuple is */
    PyObject *line = PyLong_FromSize_t(mark->line + 1);
    PyObject *col = PyLong_FromSize_t(mark->column + 1);
    if (node == NULL || pos == NULL || line == NULL || col == NULL)
        goto failed;
    Py_INCREF(line);
    Py_INCREF(col);
    PyTuple_SET_ITEM(pos, 0, line);
    PyTuple_SET_ITEM(pos, 1, col);
    if (PyObject_SetAttr(node, s_line, line) < 0 || PyObject_SetAttr(node, s_col, col) < 0
        || PyObject_SetAttr(node, s_pos, pos) < 0)
        goto failed;
    Py_DECREF(line);
    Py_DECREF(col);
    Py_DECREF(pos);
    return node;
failed:
    Py_XDECREF(node);
    Py_XDECREF(pos);
    Py_XDECREF(line);
    Py_XDECREF(col);
    return NULL;
}

static PyObject *build(reader *r, yaml_event_t *event, long depth);

static PyObject *build_scalar(yaml_event_t *event)
{
    PyObject *text = PyUnicode_DecodeUTF8((const char *)event->data.scalar.value,
                                          (Py_ssize_t)event->data.scalar.length, "strict");
    if (text == NULL)
        return NULL;
    int plain = event->data.scalar.plain_implicit && event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    PyObject *value = text;
    if (plain) {
        int is_null = PySet_Contains(nulls, text);
        if (is_null < 0) {
            Py_DECREF(text);
            return NULL;
        }
        if (is_null)
            value = Py_None;
    }
    PyObject *node = new_node(scalar_type, &event->start_mark);
    int style = event->data.scalar.style;
    PyObject *style_name = (style >= 1 && style <= 5) ? style_names[style] : Py_None;
    if (node != NULL
        && (PyObject_SetAttr(node, s_value, value) < 0
            || PyObject_SetAttr(node, s_quoted, plain ? Py_False : Py_True) < 0
            || PyObject_SetAttr(node, s_style, style_name) < 0))
        Py_CLEAR(node);
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
        PyObject *key = build(r, &event, depth);
        yaml_event_delete(&event);
        if (key == NULL)
            return -1;
        PyObject *text = PyObject_GetAttr(key, s_value);
        if (text == NULL || text == Py_None || PyDict_Contains(items, text) != 0) {
            /* a null key or a duplicate key (or an error): the builder reports it */
            if (text != NULL && !PyErr_Occurred())
                r->fallback = 1;
            Py_XDECREF(text);
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
        Py_DECREF(text);
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
        return build_scalar(event);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_sequence = event->type == YAML_SEQUENCE_START_EVENT;
        yaml_char_t *anchor = is_sequence ? event->data.sequence_start.anchor : event->data.mapping_start.anchor;
        yaml_char_t *tag = is_sequence ? event->data.sequence_start.tag : event->data.mapping_start.tag;
        if (anchor || tag || depth + 1 > max_depth)
            break;
        PyObject *node = new_node(is_sequence ? sequence_type : mapping_type, &event->start_mark);
        PyObject *items = is_sequence ? PyList_New(0) : PyDict_New();
        int failed = node == NULL || items == NULL || PyObject_SetAttr(node, s_items, items) < 0
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
    if (scalar_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "protokol._fastyaml.setup() was not called");
        return NULL;
    }
    Py_ssize_t size;
    const char *data = PyUnicode_AsUTF8AndSize(arg, &size);
    if (data == NULL)
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

static PyObject *fastyaml_setup(PyObject *module, PyObject *args)
{
    PyObject *scalar, *mapping, *sequence, *pos, *null_set;
    long depth;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!l", &PyType_Type, &scalar, &PyType_Type, &mapping, &PyType_Type, &sequence,
                          &PyType_Type, &pos, &PyFrozenSet_Type, &null_set, &depth))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)pos, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Pos must be a tuple subclass");
        return NULL;
    }
    Py_INCREF(pos);
    Py_XSETREF(pos_type, (PyTypeObject *)pos);
    Py_INCREF(scalar);
    Py_INCREF(mapping);
    Py_INCREF(sequence);
    Py_INCREF(null_set);
    Py_XSETREF(scalar_type, (PyTypeObject *)scalar);
    Py_XSETREF(mapping_type, (PyTypeObject *)mapping);
    Py_XSETREF(sequence_type, (PyTypeObject *)sequence);
    Py_XSETREF(nulls, null_set);
    max_depth = depth;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"read", fastyaml_read, METH_O, "read(text) -> root node, or None when the Python builder must read the text"},
    {"setup", fastyaml_setup, METH_VARARGS, "setup(Scalar, Mapping, Sequence, Pos, nulls, max_depth)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "protokol._fastyaml", "The strict YAML reader's fast path (see yamlio.py).", -1, methods,
};

PyMODINIT_FUNC PyInit__fastyaml(void)
{
    const char *names[] = {"line", "col", "pos", "value", "quoted", "style", "items"};
    PyObject **slots[] = {&s_line, &s_col, &s_pos, &s_value, &s_quoted, &s_style, &s_items};
    for (int i = 0; i < 7; i++)
        if ((*slots[i] = PyUnicode_InternFromString(names[i])) == NULL)
            return NULL;
    const char *styles[] = {"", "", "'", "\"", "|", ">"};   /* index 0 (any style) is never reported */
    for (int i = 0; i < 6; i++)
        if ((style_names[i] = PyUnicode_InternFromString(styles[i])) == NULL)
            return NULL;
    return PyModule_Create(&module_def);
}

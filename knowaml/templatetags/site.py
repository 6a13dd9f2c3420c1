from django import template

from knowaml import addresses, fragments

register = template.Library()


@register.simple_tag
def absolute_url(path):
    return addresses.absolute_url(path)


def _vary_value(value):
    """Hashable; a model instance (or its translation shown) varies by identity."""
    if isinstance(value, str | int | None):
        return value
    if isinstance(value, dict):
        return tuple((key, _vary_value(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_vary_value(item) for item in value)
    value = getattr(value, "object", value)
    meta = getattr(value, "_meta", None)
    return (meta.label, value.pk) if meta is not None else value


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, depends):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.depends = depends

    def render(self, context):
        if context.get("is_preview"):  # drafts, for one editor: never kept
            return self.nodelist.render(context)
        parts = (
            self.name,
            getattr(context.template, "name", None),
            *(_vary_value(value.resolve(context)) for value in self.vary),
        )
        request = context.get("request")
        path = request.path if request is not None else None
        render = lambda: self.nodelist.render(context)  # noqa: E731
        return fragments.rendered(parts, self.depends, render, path)


@register.tag
def fragment(parser, token):
    """``{% fragment "name" value… depends "fragment:name"… %}…{% endfragment %}``

    The HTML inside is rendered once per process for each language, page template and
    combination of values, and again whenever a fragment it ``depends`` on changes. Put
    inside it only what those decide.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment needs a name")
    name = template.Variable(bits[1]).resolve({})
    rest = bits[2:]
    depends = []
    if "depends" in rest:
        at = rest.index("depends")
        depends = [template.Variable(bit).resolve({}) for bit in rest[at + 1 :]]
        rest = rest[:at]
    vary = [parser.compile_filter(bit) for bit in rest]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, vary, depends)

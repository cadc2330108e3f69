"""`{{ user|uses_field_mode }}`: only users who may record something in field mode install the service worker."""

from django import template

register = template.Library()


@register.filter
def uses_field_mode(user) -> bool:
    from fazhi.field.views import offline_pages

    return bool(offline_pages(user))

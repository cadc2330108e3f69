"""`{{ user|uses_field_mode }}`: only users who may record something in field mode install the service worker."""

from django import template

from fazhi.field.permissions import offline_pages

register = template.Library()


@register.filter
def uses_field_mode(user) -> bool:
    return bool(offline_pages(user))

"""The Django admin's rules (SPEC: the admin never overrides a rule the app enforces).

A model's admin is read-only unless it lists the fields it may add or change, and then its
changes go through `save_changes`, which the admins of rule-bearing models implement with the
app's services. Every add, change and delete made here is written to the audit log with who
did it and which fields went from what to what. tests/recruitment/test_admin.py holds the
reviewed list of what each admin leaves writable.
"""

from collections.abc import Iterable
from functools import partial

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.constants import LOOKUP_SEP

from recruitment import services
from recruitment.forms import add_service_errors


class AdminForm(forms.ModelForm):
    """Applies its changes while it validates, so that what a service refuses shows on the form.

    Django's admin saves only once the form is valid, and an error raised while saving is a
    server error. So the change is applied here, in a savepoint, and a ValidationError from the
    service is shown at the field it names. The admin's add and change views run in one
    transaction, and these admins have no writable inlines that could still fail after this.
    """

    save_changes = None  # set by ModelAdmin.get_form: (form) -> the saved object

    def full_clean(self):
        stored = self.is_bound and self.instance.pk
        self.before = _snapshot(self.instance, self.fields) if stored else {}
        super().full_clean()
        if not self.is_bound or self._errors or (self.instance.pk and not self.has_changed()):
            return
        try:
            with transaction.atomic():
                self.instance = self.save_changes(self)
        except ValidationError as exc:
            add_service_errors(self, exc)


class ModelAdmin(admin.ModelAdmin):
    """Read-only unless listed; writes through `save_changes`; every write audited.

    `addable_fields` / `editable_fields` name what the add and change forms may set (none: no
    add, no change); `deletable` allows deleting through `delete_through_services`. Fields in
    `exclude` are neither shown nor usable in the changelist's URL lookups (secrets, search
    vectors, data that an admin shows only redacted).
    """

    form = AdminForm
    addable_fields: Iterable[str] = ()
    editable_fields: Iterable[str] = ()
    deletable = False

    # What may be written ----------------------------------------------------------------------

    def has_add_permission(self, request):
        return bool(self.addable_fields) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return bool(self.editable_fields) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(self.addable_fields)
        if self.fields:
            return list(self.fields)
        hidden = set(self.exclude or ())
        model_fields = [*self.opts.fields, *self.opts.many_to_many]
        names = [f.name for f in model_fields if f.name not in hidden and not f.auto_created]
        return [*names, *(name for name in self.readonly_fields if name not in names)]

    def get_readonly_fields(self, request, obj=None):
        writable = self.addable_fields if obj is None else self.editable_fields
        return [name for name in self.get_fields(request, obj) if name not in writable]

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP)[0] in (self.exclude or ()):
            return False
        return super().lookup_allowed(lookup, value, request)

    # How it is written ------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.save_changes = partial(self.save_changes, request)
        return form

    def save_changes(self, request, form):
        """Write the form's changes and return the saved object. Admins of rule-bearing models
        call the app's services here instead."""
        return form.save()

    def delete_through_services(self, request, obj) -> None:
        obj.delete()

    def save_model(self, request, obj, form, change):
        """AdminForm has already saved `obj`; record what changed."""
        fields = {
            name: {"from": _shown(form.before.get(name)), "to": _shown(form.cleaned_data[name])}
            for name in form.changed_data
        }
        if change and not fields:
            return
        action, verb = ("admin.changed", "Changed") if change else ("admin.added", "Added")
        summary = f"{verb} {self.opts.verbose_name} {obj} in the Django admin: {', '.join(fields)}"
        self._audit(request, obj, action, summary, {"fields": fields})

    def save_related(self, request, form, formsets, change):
        """AdminForm saved the many-to-many fields with the rest; inlines here are read-only, so
        their formsets save nothing (ReadOnlyTabularInline)."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self._audit_deletion(request, obj)
        self.delete_through_services(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    # The audit log ---------------------------------------------------------------------------

    def audit_agency_id(self, obj) -> int | None:
        """The agency the audit event concerns, where the object has one."""
        return getattr(obj, "agency_id", None)

    def _audit_deletion(self, request, obj):
        summary = f"Deleted {self.opts.verbose_name} {obj} in the Django admin"
        self._audit(request, obj, "admin.deleted", summary, {})

    def _audit(self, request, obj, action, summary, data):
        services.audit_record(
            actor=request.user,
            action=action,
            obj=obj,
            agency_id=self.audit_agency_id(obj),
            summary=summary,
            data={"model": self.opts.label, **data},
        )


class ReadOnlyTabularInline(admin.TabularInline):
    """An inline that only shows; its rows change through their own admin or the app."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _snapshot(instance, names) -> dict:
    """The stored values of the form's fields, before the form changes the instance."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        values[name] = list(value.all()) if field.many_to_many else value
    return values


def _shown(value):
    """A value as the audit log keeps it: plain JSON, objects by their name."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(str(item) for item in value)
    return str(value)

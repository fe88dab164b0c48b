from django.contrib import admin

from candidates import duplicates
from candidates.models import (
    Application,
    Candidate,
    CandidateMerge,
    CandidateNote,
    DuplicateRules,
    IdentityClaim,
    IdentityConflict,
    Resume,
    Submission,
)
from recruitment import admin_base

# Candidates, their applications and submissions change only in the app: a stage through
# services.application_set_stage (People, the candidate page), identities through submissions
# and merges, which keep the duplicate claims right.


class ApplicationInline(admin_base.ReadOnlyTabularInline):
    model = Application
    fields = ["job", "agency", "stage", "rejection_reason", "created_at"]
    readonly_fields = fields


@admin.register(Candidate)
class CandidateAdmin(admin_base.ModelAdmin):
    list_display = [
        "__str__",
        "email",
        "phone",
        "source",
        "agency",
        "submitted_by",
        "created_at",
        "merged_into",
    ]
    list_filter = ["source", "agency"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    list_select_related = ["agency", "submitted_by", "merged_into"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [ApplicationInline]


@admin.register(Application)
class ApplicationAdmin(admin_base.ModelAdmin):
    list_display = ["candidate", "job", "agency", "stage", "created_at", "stage_changed_at"]
    list_filter = ["stage", "agency"]
    search_fields = ["candidate__last_name", "candidate__email", "job__title", "job__ref"]
    list_select_related = ["candidate", "job", "agency"]
    show_full_result_count = False


@admin.register(Submission)
class SubmissionAdmin(admin_base.ModelAdmin):
    list_display = ["__str__", "agency", "submitted_by", "outcome", "confirmation", "created_at"]
    list_filter = ["outcome", "confirmation", "agency"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    list_select_related = ["agency", "submitted_by", "job"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Resume)
class ResumeAdmin(admin_base.ModelAdmin):
    list_display = ["original_name", "candidate", "status", "attempts", "uploaded_at", "parsed_at"]
    list_filter = ["status"]
    search_fields = ["original_name", "candidate__last_name"]
    list_select_related = ["candidate"]


@admin.register(CandidateNote)
class CandidateNoteAdmin(admin_base.ModelAdmin):
    list_display = ["candidate", "author", "created_at"]
    search_fields = ["body", "candidate__last_name"]
    list_select_related = ["candidate", "author"]


@admin.register(IdentityClaim)
class IdentityClaimAdmin(admin_base.ModelAdmin):
    """The rows that decide duplicates: written only by submissions and merges."""

    list_display = ["kind", "value", "job", "candidate", "claimed_at"]
    list_filter = ["kind"]
    search_fields = ["value"]
    list_select_related = ["job", "candidate"]


@admin.register(IdentityConflict)
class IdentityConflictAdmin(admin_base.ModelAdmin):
    """A case is resolved in the app (People → Identity questions), by the service that files
    the held submission and records the decision."""

    list_display = ["__str__", "agency", "kind", "value", "status", "created_at", "resolved_at"]
    list_filter = ["status", "kind"]
    search_fields = ["value", "known_name", "submission__first_name", "submission__last_name"]
    list_select_related = ["agency", "submission"]
    show_full_result_count = False


@admin.register(CandidateMerge)
class CandidateMergeAdmin(admin_base.ModelAdmin):
    list_display = ["merged", "into", "merged_by", "merged_at"]
    list_select_related = ["merged", "into", "merged_by"]


@admin.register(DuplicateRules)
class DuplicateRulesAdmin(admin_base.ModelAdmin):
    """Changed through duplicates.duplicate_rules_update, as Settings → Duplicate rules does."""

    list_display = [
        "__str__",
        "block_when_hired",
        "block_when_in_process",
        "release_on_rejection",
        "updated_at",
    ]
    editable_fields = [
        "window_days",
        "scope",
        "block_when_hired",
        "block_when_in_process",
        "release_on_rejection",
    ]

    def save_changes(self, request, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return duplicates.duplicate_rules_update(
            actor=request.user, rules=form.instance, changes=changes
        )

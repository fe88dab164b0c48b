from django.contrib import admin

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


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    fields = ["job", "agency", "stage", "rejection_reason", "created_at"]
    readonly_fields = ["job", "agency", "created_at"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
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
    readonly_fields = ["public_id", "merged_into"]
    raw_id_fields = ["submitted_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [ApplicationInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["candidate", "job", "agency", "stage", "created_at", "stage_changed_at"]
    list_filter = ["stage", "agency"]
    search_fields = ["candidate__last_name", "candidate__email", "job__title", "job__ref"]
    list_select_related = ["candidate", "job", "agency"]
    raw_id_fields = ["candidate", "job"]
    show_full_result_count = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agency", "submitted_by", "outcome", "confirmation", "created_at"]
    list_filter = ["outcome", "confirmation", "agency"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    list_select_related = ["agency", "submitted_by", "job"]
    raw_id_fields = ["candidate", "application", "job", "submitted_by"]
    readonly_fields = ["public_id", "outcome", "reason"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Resume)
class ResumeAdmin(admin.ModelAdmin):
    list_display = ["original_name", "candidate", "status", "attempts", "uploaded_at", "parsed_at"]
    list_filter = ["status"]
    search_fields = ["original_name", "candidate__last_name"]
    raw_id_fields = ["candidate", "uploaded_by"]
    readonly_fields = ["public_id", "text", "experience"]


@admin.register(CandidateNote)
class CandidateNoteAdmin(admin.ModelAdmin):
    list_display = ["candidate", "author", "created_at"]
    search_fields = ["body", "candidate__last_name"]
    raw_id_fields = ["candidate", "author"]


@admin.register(IdentityClaim)
class IdentityClaimAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "job", "candidate", "claimed_at"]
    list_filter = ["kind"]
    search_fields = ["value"]
    raw_id_fields = ["candidate", "job"]


@admin.register(IdentityConflict)
class IdentityConflictAdmin(admin.ModelAdmin):
    """Read-only: a case is resolved in the app (People → Identity questions), by the service
    that files the held submission and records the decision."""

    list_display = ["__str__", "agency", "kind", "value", "status", "created_at", "resolved_at"]
    list_filter = ["status", "kind"]
    search_fields = ["value", "known_name", "submission__first_name", "submission__last_name"]
    list_select_related = ["agency", "submission"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CandidateMerge)
class CandidateMergeAdmin(admin.ModelAdmin):
    list_display = ["merged", "into", "merged_by", "merged_at"]
    raw_id_fields = ["merged", "into", "merged_by"]
    readonly_fields = ["snapshot"]


@admin.register(DuplicateRules)
class DuplicateRulesAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "block_when_hired",
        "block_when_in_process",
        "release_on_rejection",
        "updated_at",
    ]

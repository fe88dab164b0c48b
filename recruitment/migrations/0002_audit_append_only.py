"""Refuse UPDATE and DELETE on the audit log in the database itself.

TRUNCATE stays possible for the table's owner: test runs flush tables with it, and production should
run the app as a role that does not own the tables.
"""

from django.db import migrations

FORBID_CHANGES = """
CREATE FUNCTION audit_event_forbid_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON recruitment_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_forbid_change();
"""

ALLOW_CHANGES = """
DROP TRIGGER audit_event_no_update_delete ON recruitment_auditevent;
DROP FUNCTION audit_event_forbid_change();
"""


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]

    operations = [migrations.RunSQL(FORBID_CHANGES, ALLOW_CHANGES)]

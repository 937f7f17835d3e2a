"""Listing.rank_votes: the paper's ranked votes (counted_votes + imported_upvotes) beside the listing day, so that
one index (day, rank_votes desc) yields a day's best papers.

Triggers keep it in step, in the statement that changes a paper's counts, whatever writes them: upvote/undo and
the vote-counts job (F() updates), ingest's imported upvotes (bulk updates and raw inserts), the admin, repair
scripts. Django writes the column only through them (editable=False; new listings start from their paper's
counts).
"""

from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER papers_paper_rank_votes AFTER UPDATE OF counted_votes, imported_upvotes ON papers_paper
    WHEN OLD.counted_votes + OLD.imported_upvotes != NEW.counted_votes + NEW.imported_upvotes
    BEGIN
        UPDATE papers_listing SET rank_votes = NEW.counted_votes + NEW.imported_upvotes WHERE paper_id = NEW.id;
    END""",
    """CREATE TRIGGER papers_listing_rank_votes AFTER INSERT ON papers_listing
    BEGIN
        UPDATE papers_listing SET rank_votes =
            (SELECT counted_votes + imported_upvotes FROM papers_paper WHERE id = NEW.paper_id)
        WHERE id = NEW.id;
    END""",
    # Any write of a listing row (a save() of a stale instance too) takes the count from the paper again.
    """CREATE TRIGGER papers_listing_rank_votes_update AFTER UPDATE ON papers_listing
    BEGIN
        UPDATE papers_listing SET rank_votes =
            (SELECT counted_votes + imported_upvotes FROM papers_paper WHERE id = NEW.paper_id)
        WHERE id = NEW.id;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS papers_paper_rank_votes",
    "DROP TRIGGER IF EXISTS papers_listing_rank_votes",
    "DROP TRIGGER IF EXISTS papers_listing_rank_votes_update",
]

POSTGRESQL = [
    """CREATE FUNCTION papers_paper_rank_votes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE papers_listing SET rank_votes = NEW.counted_votes + NEW.imported_upvotes WHERE paper_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER papers_paper_rank_votes AFTER UPDATE OF counted_votes, imported_upvotes ON papers_paper
    FOR EACH ROW WHEN (OLD.counted_votes + OLD.imported_upvotes IS DISTINCT FROM NEW.counted_votes + NEW.imported_upvotes)
    EXECUTE FUNCTION papers_paper_rank_votes()""",
    """CREATE FUNCTION papers_listing_rank_votes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT counted_votes + imported_upvotes INTO NEW.rank_votes FROM papers_paper WHERE id = NEW.paper_id;
        NEW.rank_votes := coalesce(NEW.rank_votes, 0);
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER papers_listing_rank_votes BEFORE INSERT OR UPDATE ON papers_listing
    FOR EACH ROW EXECUTE FUNCTION papers_listing_rank_votes()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS papers_paper_rank_votes ON papers_paper",
    "DROP TRIGGER IF EXISTS papers_listing_rank_votes ON papers_listing",
    "DROP FUNCTION IF EXISTS papers_paper_rank_votes()",
    "DROP FUNCTION IF EXISTS papers_listing_rank_votes()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


def fill(apps, schema_editor):
    schema_editor.execute(
        "UPDATE papers_listing SET rank_votes = (SELECT counted_votes + imported_upvotes FROM papers_paper "
        "WHERE papers_paper.id = papers_listing.paper_id)"
    )


class Migration(migrations.Migration):
    dependencies = [("papers", "0004_counted_votes")]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="rank_votes",
            field=models.PositiveIntegerField(
                default=0,
                db_default=0,  # raw inserts (ingest) leave it to the trigger
                editable=False,
                help_text="the paper's counted_votes + imported_upvotes, kept by database triggers (migration 0005)",
            ),
        ),
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(fields=["day", "-rank_votes"], name="listing_day_rank_votes"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

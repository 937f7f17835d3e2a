"""A reader's collections: the rules that the pages, the API and the import all use.

Every function takes the acting user and checks ownership itself (`owned`), so no caller can forget it;
private collections are found only by their owner (`paper_filters.get_collection`) and are a NotFound for
everyone else, never a Forbidden that would reveal them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from paperfeed.errors import BadRequest, InvalidArxivId, NotFound
from paperfeed.lib.mathtext import render_math
from paperfeed.library.importing import ParsedLibrary, find_papers
from paperfeed.papers import paper_list
from paperfeed.papers.arxiv_ids import parse_arxiv_id
from paperfeed.papers.models import Collection, CollectionItem, Paper
from paperfeed.papers.paper_actions import render_comment

DEFAULT_NAME = "Reading list"
MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_NOTE = 10_000
MAX_COLLECTIONS = 200
MAX_ITEMS = 10_000
PAGE_SIZE = 100  # papers on one collection page
SORTS = {"added": "Recently added", "listed": "Recently listed", "title": "Title", "position": "Your order"}
_MATH_SPAN = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise BadRequest(f"Give the collection a name of 1 to {MAX_NAME} characters.", code="invalid_name")
    return name


def _clean_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise BadRequest(
            f"The description is {len(description)} characters; at most {MAX_DESCRIPTION} fit.",
            code="invalid_description",
        )
    return description


def _slug_for(user, name: str) -> str:
    """A slug from the name, unique among the owner's collections: a second "Reading list" gets reading-list-2."""
    base = slugify(name)[:180] or "collection"
    taken = set(Collection.objects.filter(owner=user, slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create(user, name: str, *, description: str = "", public: bool = False) -> Collection:
    name, description = _clean_name(name), _clean_description(description)
    if Collection.objects.filter(owner=user).count() >= MAX_COLLECTIONS:
        raise BadRequest(f"You have {MAX_COLLECTIONS} collections; delete some first.", code="too_many_collections")
    position = (Collection.objects.filter(owner=user).aggregate(m=Max("position"))["m"] or 0) + 1
    for _ in range(5):  # two creations racing for one slug: the loser takes the next number
        try:
            with transaction.atomic():
                return Collection.objects.create(
                    owner=user,
                    name=name,
                    slug=_slug_for(user, name),
                    description=description,
                    public=public,
                    position=position,
                )
        except IntegrityError:
            continue
    raise BadRequest("Could not name this collection; try another name.", code="invalid_name")


def default_collection(user) -> Collection:
    """The owner's "Reading list" (private), made on first use."""
    existing = Collection.objects.filter(owner=user, slug=slugify(DEFAULT_NAME)).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Collection.objects.create(owner=user, name=DEFAULT_NAME, slug=slugify(DEFAULT_NAME), public=False)
    except IntegrityError:
        return Collection.objects.get(owner=user, slug=slugify(DEFAULT_NAME))


def owned(user, slug: str) -> Collection:
    """The user's own collection with this slug; NotFound for anyone else's."""
    found = Collection.objects.filter(owner_id=getattr(user, "pk", None), slug=(slug or "")[:200]).first()
    if found is None or not getattr(user, "is_authenticated", False):
        raise NotFound(f"You have no collection {str(slug)[:60]!r}.", code="collection_not_found")
    return found


def user_collections(user) -> list[Collection]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Collection.objects.filter(owner=user))


def update(
    collection: Collection, *, name: str | None = None, description: str | None = None, public: bool | None = None
) -> Collection:
    """Rename, describe or change who sees it; the slug stays, so links to the collection keep working."""
    if name is not None:
        collection.name = _clean_name(name)
    if description is not None:
        collection.description = _clean_description(description)
    if public is not None:
        collection.public = public
    collection.save(update_fields=["name", "description", "public"])
    return collection


def delete(collection: Collection) -> None:
    collection.delete()


def _place(rows, pk: int, position: int) -> int:
    """Put row `pk` of `rows` (a queryset in its order) at `position` (1 = first, clamped to the ends) and renumber
    the rows 1..n, writing only those whose number changes; the place it took."""
    order = list(rows.order_by("position", "id").values_list("pk", "position"))
    index = next(i for i, (row, _) in enumerate(order) if row == pk)
    target = max(0, min(len(order) - 1, position - 1))
    order.insert(target, order.pop(index))
    with transaction.atomic():
        for number, (row, old) in enumerate(order, 1):
            if old != number:
                rows.model.objects.filter(pk=row).update(position=number)
    return target + 1


def _place_of(rows, pk: int) -> int:
    return list(rows.order_by("position", "id").values_list("pk", flat=True)).index(pk) + 1


def move(collection: Collection, offset: int) -> None:
    """Move among the owner's collections by `offset` places (-1 up, +1 down); positions are renumbered 1..n."""
    siblings = Collection.objects.filter(owner_id=collection.owner_id)
    place(collection, _place_of(siblings, collection.pk) + offset)


def place(collection: Collection, position: int) -> Collection:
    """Put the collection at `position` (1 = first) among the owner's collections."""
    collection.position = _place(Collection.objects.filter(owner_id=collection.owner_id), collection.pk, position)
    return collection


def add_paper(collection: Collection, paper: Paper) -> tuple[CollectionItem, bool]:
    """Put the paper in the collection once (many parallel saves store one item); (item, whether it is new)."""
    existing = CollectionItem.objects.filter(collection=collection, paper=paper).first()
    if existing:
        return existing, False
    if CollectionItem.objects.filter(collection=collection).count() >= MAX_ITEMS:
        raise BadRequest(f"{collection.name} holds {MAX_ITEMS} papers already.", code="collection_full")
    position = (CollectionItem.objects.filter(collection=collection).aggregate(m=Max("position"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            return CollectionItem.objects.create(collection=collection, paper=paper, position=position), True
    except IntegrityError:
        return CollectionItem.objects.get(collection=collection, paper=paper), False


def for_saving(user, slug: str = "") -> Collection:
    """The user's collection to save into: the one with this slug, or the Reading list (made on first use, so its
    slug works before the reader ever saved anything)."""
    return owned(user, slug) if slug and slug != slugify(DEFAULT_NAME) else default_collection(user)


def save_paper(user, paper: Paper, slug: str = "") -> tuple[Collection, bool]:
    """Save into the named collection of the user's, or into their Reading list; (collection, whether it is new)."""
    collection = for_saving(user, slug)
    _, created = add_paper(collection, paper)
    return collection, created


def remove_paper(collection: Collection, paper: Paper) -> bool:
    deleted, _ = CollectionItem.objects.filter(collection=collection, paper=paper).delete()
    return bool(deleted)


def get_item(collection: Collection, arxiv_id: str) -> CollectionItem:
    """The collection's item for this paper (hidden ones too: they stay in the collection); a version or an
    arXiv: prefix on the id is ignored."""
    try:
        base = parse_arxiv_id(arxiv_id or "").base
    except InvalidArxivId:
        base = (arxiv_id or "")[:40]
    item = (
        CollectionItem.objects.select_related("paper", "paper__listing")
        .filter(collection=collection, paper__arxiv_id=base)
        .first()
    )
    if item is None:
        raise NotFound(f"{str(arxiv_id)[:40]!r} is not in {collection.name}.", code="item_not_found")
    return item


def set_note(item: CollectionItem, note: str) -> CollectionItem:
    # Counted before the outer spaces go, so the limit is the one a form's or the API's length check sees.
    if len(note or "") > MAX_NOTE:
        raise BadRequest(f"This note is {len(note):,} characters; at most {MAX_NOTE:,} fit.", code="note_too_long")
    item.note = (note or "").strip()
    item.save(update_fields=["note"])
    return item


def set_read(item: CollectionItem, read: bool) -> CollectionItem:
    item.read, item.read_at = read, (timezone.now() if read else None)
    item.save(update_fields=["read", "read_at"])
    return item


def move_item(item: CollectionItem, offset: int) -> CollectionItem:
    """Move the item `offset` places in the collection's own order (-1 up, +1 down)."""
    rows = CollectionItem.objects.filter(collection_id=item.collection_id)
    return place_item(item, _place_of(rows, item.pk) + offset)


def place_item(item: CollectionItem, position: int) -> CollectionItem:
    """Put the item at `position` (1 = first) in the collection's own order ("Your order"); the rest close up."""
    item.position = _place(CollectionItem.objects.filter(collection_id=item.collection_id), item.pk, position)
    return item


def render_note(note: str) -> SafeString:
    """The note as the comments' Markdown subset, with $...$ math rendered as in abstracts."""
    spans: list[str] = []

    def hold(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"MATHSPAN{len(spans) - 1}X"

    html = str(render_comment(_MATH_SPAN.sub(hold, note or "")))
    for index, span in enumerate(spans):
        html = html.replace(f"MATHSPAN{index}X", str(render_math(span)) or escape(span))
    return mark_safe(html)


def parse_sort(raw: str | None) -> str:
    return raw if raw in SORTS else "added"


def _items_query(collection: Collection, sort: str, unread_only: bool):
    qs = CollectionItem.objects.filter(collection=collection).select_related("paper", "paper__listing")
    if unread_only:
        qs = qs.filter(read=False)
    order = {
        "added": ("-added_at", "-id"),
        "listed": ("-paper__listing__day", "-paper__arxiv_id"),
        "title": ("paper__title", "id"),
        "position": ("position", "id"),
    }[parse_sort(sort)]
    return qs.order_by(*order)


def _mark_unavailable(found: list[CollectionItem]) -> list[CollectionItem]:
    for item in found:
        item.unavailable = item.paper.hidden
    return found


def items(collection: Collection, *, sort: str = "added", unread_only: bool = False) -> list[CollectionItem]:
    """The collection's items with their papers; a paper hidden by a moderator stays, marked `unavailable`."""
    return _mark_unavailable(list(_items_query(collection, sort, unread_only)))


def items_page(
    collection: Collection, *, sort: str = "added", unread_only: bool = False, page: int = 1, page_size: int = PAGE_SIZE
) -> paper_list.Page:
    """One page of `items`: a collection holds up to 10,000 papers, and a page of them all would take seconds."""
    qs = _items_query(collection, sort, unread_only)
    result = paper_list._paginate(qs, page, page_size, qs.count())
    _mark_unavailable(result.items)
    return result


def saved_paper_ids(user, paper_ids=None) -> set[int]:
    """Which papers (of `paper_ids`, or all) are in any of the user's collections: one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    qs = CollectionItem.objects.filter(collection__owner=user)
    if paper_ids is not None:
        qs = qs.filter(paper_id__in=list(paper_ids))
    return set(qs.values_list("paper_id", flat=True))


@dataclass
class ImportResult:
    collection: Collection
    entries: int
    added: int = 0
    already: int = 0
    missing_ids: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def import_into(collection: Collection, parsed: ParsedLibrary, progress=None) -> ImportResult:
    """Add the visible papers of a parsed library file; `progress(done, total)` is called along the way."""
    papers, missing = find_papers(parsed.arxiv_ids)
    result = ImportResult(collection, parsed.entries, missing_ids=missing, not_found=list(parsed.not_found))
    present = set(CollectionItem.objects.filter(collection=collection).values_list("paper_id", flat=True))
    new = [p for p in papers if p.pk not in present]
    result.already = len(papers) - len(new)
    if len(present) + len(new) > MAX_ITEMS:
        raise BadRequest(
            f"{collection.name} would hold {len(present) + len(new)} papers; at most {MAX_ITEMS} fit.",
            code="collection_full",
        )
    start = (CollectionItem.objects.filter(collection=collection).aggregate(m=Max("position"))["m"] or 0) + 1
    now = timezone.now()
    for offset in range(0, len(new), 500):
        chunk = new[offset : offset + 500]
        CollectionItem.objects.bulk_create(
            [
                CollectionItem(collection=collection, paper=p, position=start + offset + i, added_at=now)
                for i, p in enumerate(chunk)
            ],
            ignore_conflicts=True,
        )
        if progress:
            progress(offset + len(chunk), len(new))
    result.added = len(new)
    return result

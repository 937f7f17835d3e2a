from django.urls import path, re_path

from paperfeed.library import views

C = "u/<str:username>/c/<slug:slug>"

urlpatterns = [
    path("save", views.save, name="library_save"),
    path("u/<str:username>/collections", views.collection_list, name="collections"),
    re_path(
        r"^u/(?P<username>[^/]+)/c/(?P<slug>[-\w]+)\.(?P<ext>bib|csv|json|ris)$",
        views.collection_export,
        name="collection_export",
    ),
    path(C, views.collection_page, name="collection"),
    path(f"{C}/edit", views.collection_edit, name="collection_edit"),
    path(f"{C}/delete", views.collection_delete, name="collection_delete"),
    path(f"{C}/move", views.collection_move, name="collection_move"),
    path(f"{C}/import", views.collection_import, name="collection_import"),
    path(f"{C}/items/<path:arxiv_id>/note", views.item_note, name="item_note"),
    path(f"{C}/items/<path:arxiv_id>/read", views.item_read, name="item_read"),
    path(f"{C}/items/<path:arxiv_id>/move", views.item_move, name="item_move"),
    path(f"{C}/items/<path:arxiv_id>/remove", views.item_remove, name="item_remove"),
]

"""LEA-facing agreement pages (the contracts app adds them)."""

app_name = "contracts"
urlpatterns: list = []

"""The API's documented limits, written once for the connector and its sandbox alike."""

MAX_WRITE_ITEMS = 50  # items per POST/PUT and ids per DELETE; the API answers 413 above it
MAX_LIMIT = 200  # records per page (`limit`), also the API's default page size
MAX_PAGES = 50  # our default cap on the requests of one read (Fetch All's Max Pages)

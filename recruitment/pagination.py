from django.core.paginator import Paginator

# Deeper than anyone pages by hand (a million rows at 25 a page is 40,000 pages), and far below
# the page whose OFFSET would overflow PostgreSQL's bigint.
MAX_PAGE = 1_000_000


class NoCountPaginator(Paginator):
    """Pages without COUNT(*): at a million rows the count alone would cost more than the page.
    A number past the last page (typed, or kept from before a filter changed) answers the first
    page, as Django's get_page answers the last one: finding the last would need the count."""

    def validate_number(self, number):
        try:
            return min(max(int(number), 1), MAX_PAGE)
        except (TypeError, ValueError):  # ValueError too for a number of over 4,300 digits
            return 1

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            return self.page(1)
        page = self._get_page(rows[: self.per_page], number, self)
        page.has_more = len(rows) > self.per_page
        return page

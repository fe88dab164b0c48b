from django.core.paginator import Paginator


class NoCountPaginator(Paginator):
    """Pages without COUNT(*): at a million rows the count alone would cost more than the page."""

    def validate_number(self, number):
        try:
            return max(int(number), 1)
        except (TypeError, ValueError):
            return 1

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        page = self._get_page(rows[: self.per_page], number, self)
        page.has_more = len(rows) > self.per_page
        return page

from . import marketplace_report_snapshot
from . import marketplace_buyer_conversion_report
from . import marketplace_sales_report
from . import marketplace_seller_performance_report
from . import marketplace_ticket_report
from . import marketplace_seller_outcome_report
from . import marketplace_uplift_report

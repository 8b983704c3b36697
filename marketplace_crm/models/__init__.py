from . import marketplace_dispute
from . import marketplace_document_type
from . import marketplace_seller_document
from . import res_partner
from . import product_template
from . import res_config_settings
from . import sale_order
from . import sale_order_line

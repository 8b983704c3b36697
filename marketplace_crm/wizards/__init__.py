from . import marketplace_seller_reject

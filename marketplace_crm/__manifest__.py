# Copyright 2026 marketplace_crm contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Marketplace CRM",
    "summary": "Run a two-sided marketplace: sellers, buyers, partners, "
    "onboarding, performance, support and automations",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/marketplace-crm/marketplace_crm",
    "author": "marketplace_crm contributors",
    "license": "LGPL-3",
    "application": True,
    "depends": [
        "base_setup",
        "mail",
        "portal",
        "crm",
        "sale_management",
        "website_sale",
        "helpdesk_mgmt",
    ],
    "data": [
        "security/marketplace_security.xml",
        "security/ir.model.access.csv",
        "security/marketplace_rules.xml",
        "data/ir_sequence_data.xml",
        "data/marketplace_document_type_data.xml",
        "data/ir_cron_data.xml",
        "wizards/marketplace_seller_reject_views.xml",
        "views/res_partner_views.xml",
        "views/marketplace_dispute_views.xml",
        "views/marketplace_seller_document_views.xml",
        "views/marketplace_document_type_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/marketplace_menus.xml",
    ],
    "demo": [
        "demo/marketplace_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "marketplace_crm/static/tests/tours/**/*",
        ],
    },
}

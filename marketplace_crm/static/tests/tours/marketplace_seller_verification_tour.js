import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * Staff review a seller waiting for verification: a rejection without a
 * reason is refused, a rejection with one is recorded, the seller resubmits
 * and staff approve.
 */
registry.category("web_tour.tours").add("marketplace_seller_verification", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Marketplace app",
            trigger: ".o_app[data-menu-xmlid='marketplace_crm.menu_marketplace_root']",
            run: "click",
        },
        {
            content: "Switch the sellers to the list view",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Search the pending seller",
            trigger: ".o_searchview_input",
            run: "edit Tour Pending Seller",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the pending seller",
            trigger: ".o_data_row td:contains('Tour Pending Seller')",
            run: "click",
        },
        {
            content: "The status bar shows Pending",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Pending')",
        },
        {
            content: "Reject",
            trigger: ".o_statusbar_buttons button[name='action_open_reject_wizard']",
            run: "click",
        },
        {
            content: "Confirm the rejection without a reason",
            trigger: ".modal-footer button[name='action_reject']",
            run: "click",
        },
        {
            content: "The reason is required",
            trigger: ".modal .o_field_invalid[name='reason']",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit The identity document is unreadable.",
        },
        {
            trigger: ".modal-footer button[name='action_reject']",
            run: "click",
        },
        {
            content: "The seller is rejected, with the reason shown",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Rejected')",
        },
        {
            trigger: ".o_field_widget[name='verification_rejection_reason']:contains('unreadable')",
        },
        {
            content: "The seller resubmits (staff do it on their behalf)",
            trigger: ".o_statusbar_buttons button[name='action_submit_verification']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Pending')",
        },
        {
            content: "Approve",
            trigger: ".o_statusbar_buttons button[name='action_validate_seller']",
            run: "click",
        },
        {
            content: "The seller is validated",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Validated')",
        },
    ],
});

import { registry } from "@web/core/registry";

/**
 * The seller cycle of the marketplace, as people do it:
 * 1. a visitor registers on the website;
 * 2. the seller sets a password from the sign-up link, completes the
 *    profile, uploads a document and submits it;
 * 3. staff approve the seller in the backend;
 * 4. the seller lists a product, publishes it, and finds it on the shop.
 */

function attachFile(name, type, content) {
    return function () {
        const transfer = new DataTransfer();
        transfer.items.add(new File([content], name, { type }));
        this.anchor.files = transfer.files;
        this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
    };
}

const PNG_BYTES = Uint8Array.from(
    atob(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    ),
    (c) => c.charCodeAt(0)
);

registry.category("web_tour.tours").add("marketplace_seller_registration", {
    url: "/marketplace/sell",
    steps: () => [
        { trigger: "input[name=name]", run: "edit Tour Maker" },
        { trigger: "input[name=email]", run: "edit tour.maker@example.com" },
        { trigger: "input[name=shop_name]", run: "edit Tour Pottery" },
        { trigger: "textarea[name=shop_description]", run: "edit Wheel-thrown bowls." },
        { trigger: "button:contains('Register as a seller')", run: "click", expectUnloadPage: true },
        { content: "The visitor is told to check the mailbox", trigger: "#registration_done" },
    ],
});

registry.category("web_tour.tours").add("marketplace_seller_profile", {
    steps: () => [
        { content: "Set a password from the sign-up link", trigger: "input[name=password]", run: "edit tour.maker@example.com" },
        { trigger: "input[name=confirm_password]", run: "edit tour.maker@example.com" },
        { trigger: "button[type=submit]:contains('Sign up')", run: "click", expectUnloadPage: true },
        { content: "Logged in", trigger: ".o_portal_my_home, .o_frontend_to_backend_nav, #wrap", run: () => { window.location.href = "/my/seller"; }, expectUnloadPage: true },
        { content: "The shop page lists what is missing", trigger: "#missing_items" },
        { trigger: "textarea[name=shop_description]", run: "edit Wheel-thrown stoneware bowls." },
        { trigger: "input[name=street]", run: "edit 5 rue des Potiers" },
        { trigger: "input[name=zip]", run: "edit 69001" },
        { trigger: "input[name=city]", run: "edit Lyon" },
        { trigger: "select[name=country_id]", run: "selectByLabel France" },
        { trigger: "input[name=acc_number]", run: "edit FR7630006000011234567890189" },
        { trigger: "input[name=shop_logo]", run: attachFile("logo.png", "image/png", PNG_BYTES) },
        { trigger: "#save_profile", run: "click", expectUnloadPage: true },
        { trigger: "#seller_success" },
        { trigger: "select[name=document_type_id]", run: "selectByLabel Business registration certificate" },
        {
            trigger: "input#document_file",
            run: attachFile("kbis.pdf", "application/pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"),
        },
        { trigger: "#upload_document", run: "click", expectUnloadPage: true },
        { trigger: "#seller_documents td:contains('kbis.pdf')" },
        { trigger: "#submit_verification", run: "click", expectUnloadPage: true },
        { content: "Waiting for the team", trigger: "#verification_state:contains('Pending')" },
    ],
});

registry.category("web_tour.tours").add("marketplace_staff_approve", {
    steps: () => [
        { content: "The seller waits for verification", trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Pending')" },
        { trigger: "button[name=action_validate_seller]", run: "click" },
        { trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Validated')" },
    ],
});

registry.category("web_tour.tours").add("marketplace_seller_publish", {
    url: "/my/seller",
    steps: () => [
        { trigger: "#verification_state:contains('Validated')" },
        { trigger: "#new_product", run: "click", expectUnloadPage: true },
        { trigger: "input[name=name]", run: "edit Tour speckled bowl" },
        { trigger: "textarea[name=description_sale]", run: "edit A speckled stoneware bowl." },
        { trigger: "input[name=list_price]", run: "edit 32" },
        { trigger: "input[name=quantity]", run: "edit 4" },
        { trigger: "#save_product", run: "click", expectUnloadPage: true },
        { trigger: "#product_saved" },
        { trigger: "a:contains('Back to my shop')", run: "click", expectUnloadPage: true },
        { trigger: "#listings button.o_marketplace_publish[data-product='Tour speckled bowl']", run: "click", expectUnloadPage: true },
        { trigger: "#listings tr:contains('Tour speckled bowl') .badge:contains('Published')" },
        { trigger: "#listings", run: () => { window.location.href = "/shop?search=speckled"; }, expectUnloadPage: true },
        { content: "The product is on the shop", trigger: ".oe_product:contains('Tour speckled bowl')" },
    ],
});

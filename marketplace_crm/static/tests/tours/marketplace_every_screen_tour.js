import { registry } from "@web/core/registry";
import { rpcBus } from "@web/core/network/rpc";

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until no RPC is pending (and the last answer is rendered). */
async function settle(pending, timeout = 60000) {
    const start = Date.now();
    await delay(50);
    while (pending.size && Date.now() - start < timeout) {
        await delay(50);
    }
    await delay(100);
    const dialog = document.querySelector(".o_error_dialog");
    if (dialog) {
        throw new Error(`Error dialog: ${dialog.innerText.slice(0, 500)}`);
    }
}

/**
 * Open every menu of the Marketplace app and every view of each menu's
 * action (list, kanban, form, pivot, graph, activity...), like Odoo's
 * click-everywhere bot but without its filter-by-filter pass: any error
 * (dialog, failed request, console error) fails the tour.
 */
async function visitEveryScreen() {
    const env = odoo.__WOWL_DEBUG__.root.env;
    const pending = new Set();
    rpcBus.addEventListener("RPC:REQUEST", ({ detail }) => pending.add(detail.data.id));
    rpcBus.addEventListener("RPC:RESPONSE", ({ detail }) => pending.delete(detail.data.id));
    const menus = env.services.menu;
    const app = menus
        .getApps()
        .find((menu) => menu.xmlid === "marketplace_crm.menu_marketplace_root");
    const leaves = [];
    const walk = (menu) => {
        if (menu.actionID) {
            leaves.push(menu);
        }
        menu.childrenTree.forEach(walk);
    };
    walk(menus.getMenuAsTree(app.id));
    const seen = [];
    for (const menu of leaves) {
        await menus.selectMenu(menu);
        await settle(pending);
        const switches = [...document.querySelectorAll(".o_cp_switch_buttons .o_switch_view")];
        const viewTypes = switches
            .map((button) =>
                [...button.classList].find(
                    (cls) => cls !== "o_switch_view" && cls.startsWith("o_")
                )
            )
            .filter(Boolean);
        for (const viewClass of viewTypes) {
            const button = document.querySelector(`.o_cp_switch_buttons .o_switch_view.${viewClass}`);
            if (button && !button.classList.contains("active")) {
                button.click();
                await settle(pending);
            }
        }
        seen.push(`${menu.xmlid} (${viewTypes.join(", ") || "no view switcher"})`);
        // A dialog opened by the menu (e.g. a wizard) is closed before going on.
        document.querySelector(".modal .btn-close")?.click();
    }
    console.log(`Marketplace screens opened: ${seen.join("; ")}`);
    if (leaves.length < 10) {
        throw new Error(`Only ${leaves.length} Marketplace menus found`);
    }
}

registry.category("web_tour.tours").add("marketplace_every_screen", {
    steps: () => [
        {
            content: "The web client is ready",
            trigger: ".o_main_navbar",
            timeout: 120000,
        },
        {
            content: "Open every Marketplace menu in every view",
            trigger: ".o_main_navbar",
            run: visitEveryScreen,
            timeout: 600000,
        },
    ],
});

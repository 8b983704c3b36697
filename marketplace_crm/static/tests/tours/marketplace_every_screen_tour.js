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

const pending = new Set();
let listening = false;

function listenToRequests() {
    if (!listening) {
        rpcBus.addEventListener("RPC:REQUEST", ({ detail }) => pending.add(detail.data.id));
        rpcBus.addEventListener("RPC:RESPONSE", ({ detail }) => pending.delete(detail.data.id));
        listening = true;
    }
}

/** The menus of the Marketplace app that open an action, depth first. */
function marketplaceMenus() {
    const menus = odoo.__WOWL_DEBUG__.root.env.services.menu;
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
    return leaves;
}

/** Open ``menu``, then each view of its action through the view switcher. */
async function visitMenu(menu) {
    listenToRequests();
    document.querySelector(".modal .btn-close")?.click();
    await odoo.__WOWL_DEBUG__.root.env.services.menu.selectMenu(menu);
    await settle(pending);
    const viewClasses = [...document.querySelectorAll(".o_cp_switch_buttons .o_switch_view")]
        .map((button) =>
            [...button.classList].find((cls) => cls !== "o_switch_view" && cls.startsWith("o_"))
        )
        .filter(Boolean);
    for (const viewClass of viewClasses) {
        const button = document.querySelector(`.o_cp_switch_buttons .o_switch_view.${viewClass}`);
        if (button && !button.classList.contains("active")) {
            button.click();
            await settle(pending);
        }
    }
    console.log(`Opened ${menu.xmlid}: ${viewClasses.join(", ") || "no view switcher"}`);
}

/**
 * Open every menu of the Marketplace app and every view of each menu's
 * action (list, kanban, form, pivot, graph, activity...), like Odoo's
 * click-everywhere bot but without its filter-by-filter pass: any error
 * (dialog, failed request, console error) fails the tour.
 */
registry.category("web_tour.tours").add("marketplace_every_screen", {
    steps: () => {
        const menus = marketplaceMenus();
        if (menus.length < 10) {
            throw new Error(`Only ${menus.length} Marketplace menus found`);
        }
        return [
            {
                content: "The web client is ready",
                trigger: ".o_main_navbar",
                timeout: 60000,
            },
            ...menus.map((menu) => ({
                content: `Open ${menu.xmlid} in every view`,
                trigger: ".o_main_navbar",
                run: () => visitMenu(menu),
                timeout: 60000,
            })),
        ];
    },
});

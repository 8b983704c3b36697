import { registry } from "@web/core/registry";

const ERROR_VALUES = ["#SPILL!", "#ERROR", "#REF", "#REF!", "#N/A", "#NAME?", "#VALUE!", "#DIV/0!", "#BAD_EXPR", "#CYCLE"];

/**
 * The spreadsheet grid is drawn on a canvas: read the evaluated model of the
 * dashboard the user looks at, once its Odoo data is loaded.
 */
async function checkDashboard() {
    const env = odoo.__WOWL_DEBUG__.root.env;
    const dashboard = env.services.spreadsheet_dashboard_loader.getActiveDashboard();
    if (!dashboard || !dashboard.model) {
        throw new Error("The Marketplace dashboard is not loaded");
    }
    const model = dashboard.model;
    const { waitForDataLoaded } = odoo.loader.modules.get("@spreadsheet/helpers/model");
    await waitForDataLoaded(model);
    const errors = [];
    for (const sheetId of model.getters.getSheetIds()) {
        const sheetName = model.getters.getSheetName(sheetId);
        for (const position of model.getters.getEvaluatedCellsPositions(sheetId)) {
            const cell = model.getters.getEvaluatedCell(position);
            const text = String(cell.value ?? "");
            if (cell.type === "error" || ERROR_VALUES.some((error) => text.startsWith(error))) {
                const xc = String.fromCharCode(65 + position.col) + (position.row + 1);
                errors.push(`${sheetName}!${xc}: ${text} ${cell.message || ""}`);
            }
        }
        for (const chartId of model.getters.getChartIds(sheetId)) {
            const definition = model.getters.getChartDefinition(chartId);
            const dataSource = model.getters.getChartDataSource?.(chartId);
            if (dataSource) {
                await dataSource.load();
                if (!dataSource._isValid) {
                    errors.push(`chart ${chartId}: ${dataSource._loadError?.message || "invalid"}`);
                } else if (!dataSource.getData().datasets.length) {
                    errors.push(`chart ${chartId} (${definition.metaData.resModel}) is empty`);
                }
            } else if (definition.type === "scorecard") {
                const runtime = model.getters.getChartRuntime(chartId);
                const key = String(runtime.keyValue ?? "");
                if (!key || ERROR_VALUES.some((error) => key.startsWith(error))) {
                    errors.push(`scorecard "${definition.title.text}" shows "${key}"`);
                }
            }
        }
    }
    if (errors.length) {
        throw new Error(`The dashboard shows errors: ${errors.join("; ")}`);
    }
}

/**
 * The uplift block lists the measured automations with the difference of
 * their outcome rates and its interval (the demo holds out a control group).
 */
async function checkUplift() {
    const env = odoo.__WOWL_DEBUG__.root.env;
    const model = env.services.spreadsheet_dashboard_loader.getActiveDashboard().model;
    const { waitForDataLoaded } = odoo.loader.modules.get("@spreadsheet/helpers/model");
    await waitForDataLoaded(model);
    const sheetId = model.getters.getSheetIds()[0];
    const rows = [];
    for (const position of model.getters.getEvaluatedCellsPositions(sheetId)) {
        const cell = model.getters.getCell({ sheetId, ...position });
        if (position.col === 0 && cell?.content?.includes('ODOO.LIST(1,')) {
            const value = (col) =>
                model.getters.getEvaluatedCell({ sheetId, col, row: position.row }).formattedValue;
            if (value(0)) {
                rows.push([value(0), value(5), value(6)]);
            }
        }
    }
    if (!rows.length) {
        throw new Error("The dashboard lists no automation uplift");
    }
    if (!rows.some(([, difference, interval]) => difference.includes("pts") && interval.startsWith("["))) {
        throw new Error(`No uplift with its interval: ${JSON.stringify(rows)}`);
    }
}

/**
 * Open the Marketplace dashboard and fail on any error value (#SPILL!,
 * #ERROR, #REF, #N/A, #NAME?...), empty chart or empty scorecard.
 */
registry.category("web_tour.tours").add("marketplace_dashboard", {
    steps: () => [
        {
            content: "The Marketplace dashboard is shown",
            trigger: ".o_spreadsheet_dashboard_action .o-grid",
            // The spreadsheet library is loaded on demand: slow on a busy machine.
            timeout: 60000,
        },
        {
            content: "Its charts are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-figure",
            timeout: 60000,
        },
        {
            content: "No cell, chart or scorecard of the dashboard shows an error",
            trigger: ".o_spreadsheet_dashboard_action .o-figure",
            run: checkDashboard,
            timeout: 60000,
        },
        {
            content: "The automation uplift against the control group is shown",
            trigger: ".o_spreadsheet_dashboard_action .o-figure",
            run: checkUplift,
            timeout: 60000,
        },
    ],
});
